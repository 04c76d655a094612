"""Ceilings measured beside the project's figures: what the bare stack does on this machine."""

from __future__ import annotations

import json
import threading
import time
import uuid

import sqlalchemy as sa
from kafka import KafkaConsumer, KafkaProducer


def broker_round_trip(bootstrap: str, rate: float, count: int) -> list[float]:
    """The ceiling: kafka-python produce (acks=all) → a subscribed consumer (own thread)."""
    topic = f"bench-latency-{uuid.uuid4().hex[:6]}"
    consumer = KafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=topic, auto_offset_reset="earliest"
    )
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    producer.send(topic, b"{}").get(30)
    while not consumer.assignment():
        consumer.poll(timeout_ms=200)
    latencies: list[float] = []

    def receive():
        while len(latencies) < count:
            for batch in consumer.poll(timeout_ms=100).values():
                now = time.monotonic()
                latencies.extend(now - s for r in batch if (s := json.loads(r.value).get("sent")))

    receiver = threading.Thread(target=receive, daemon=True)
    receiver.start()
    start = time.monotonic()
    for i in range(count):
        time.sleep(max(0.0, start + i / rate - time.monotonic()))
        producer.send(topic, json.dumps({"sent": time.monotonic()}).encode())
    receiver.join(60)
    producer.close()
    consumer.close()
    return latencies


def pg_commits(url: str, count: int = 300) -> float:
    """Synchronous commits per second of one connection (a one-row INSERT each): the event
    store serialises a service's appends until commit, so this bounds a command's peak."""
    engine = sa.create_engine(url)
    table = f"bench_commit_{uuid.uuid4().hex[:6]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE TABLE {table} (n integer)"))
    started = time.perf_counter()
    for n in range(count):
        with engine.begin() as conn:
            conn.execute(sa.text(f"INSERT INTO {table} VALUES (:n)"), {"n": n})
    rate = count / (time.perf_counter() - started)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE {table}"))
    engine.dispose()
    return rate
