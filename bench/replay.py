"""Replay benchmark: `antt reporting rebuild` from the broker against a bare consume + json.loads.

    .venv/bin/python -m bench.replay [--events 200000] [--database-url URL]

It starts its own broker, produces a year of sealed envelopes (every lifecycle path, three
topics), then measures in the same run:
  1. the ceiling: a bare kafka-python consumer reading every topic from offset 0 to its end,
     `json.loads` of every value, nothing stored;
  2. the rebuild: the real `antt reporting rebuild` command (reader processes sharing the
     partitions, fresh tables, the atomic swap), as its own process, with its peak resident
     memory alone and summed with its reader processes.
For context it also times the bare consume without CRC checks (kafka-python checks CRC32C with
the `crc32c` C package, a dependency; without it the pure-Python check was most of the time).
and prints both rates and their ratio (the performance issue's target: ≥ 0.5).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition

from shared.broker import EmbeddedBroker, free_port
from shared.events import TOPICS
from shared.messaging.kafka import KafkaPublisher
from shared.messaging.ports import Outgoing
from tests.unit.reporting.world import build_year, key_of

EVENTS_PER_UNIT = 5.8  # what build_year produces on average, paths in turn


def produce(bootstrap: str, n_events: int, partitions: int) -> int:
    world = build_year(max(1, int(n_events / EVENTS_PER_UNIT)), communes=27)
    publisher = KafkaPublisher(bootstrap, {}, "bench-producer", partitions=partitions)
    publisher.ensure_topics(list(TOPICS.values()))
    for producer, topic in TOPICS.items():
        mine = [e for e in world.envelopes if e.producer == producer]
        for start in range(0, len(mine), 2000):
            chunk = mine[start : start + 2000]
            publisher.publish(topic, [Outgoing(key_of(e), e.to_bytes(), {}) for e in chunk])
    publisher.close()
    return len(world.envelopes)


def bare_consume(bootstrap: str, check_crcs: bool = True) -> tuple[int, float]:
    """The ceiling: read every record of every topic and json.loads it; nothing else.
    `check_crcs=False` shows how much of it is kafka-python's pure-Python CRC32C."""
    started = time.perf_counter()
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, check_crcs=check_crcs
    )
    parts = [
        TopicPartition(t, p) for t in TOPICS.values() for p in consumer.partitions_for_topic(t)
    ]
    consumer.assign(parts)
    consumer.seek_to_beginning(*parts)
    ends = consumer.end_offsets(parts)
    count = 0
    while any(consumer.position(tp) < ends[tp] for tp in parts):
        for batch in consumer.poll(timeout_ms=1000).values():
            for record in batch:
                json.loads(record.value)
                count += 1
    consumer.close()
    return count, time.perf_counter() - started


def rebuild(env: dict) -> tuple[int, float, float, int, int]:
    """The real command as its own process: (events, wall seconds, its own rate, peak RSS KiB
    of that process, peak of the RSS summed over it and its reader processes)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "shared.cli", "reporting", "rebuild"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    peak_total = [0]
    sampler = threading.Thread(target=_sample_tree_rss, args=(proc, peak_total), daemon=True)
    sampler.start()
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"rebuild failed:\n{out}")
    match = re.search(r"(\d+) events replayed, (\d+) events/s", out)
    return int(match[1]), seconds, float(match[2]), usage.ru_maxrss, peak_total[0]


def _sample_tree_rss(proc, peak: list[int]) -> None:
    """Every 0.2 s, the RSS (KiB) of the process and its children summed; the largest kept."""
    while proc.returncode is None and os.path.exists(f"/proc/{proc.pid}"):
        pids = [proc.pid, *_children(proc.pid)]
        peak[0] = max(peak[0], sum(_rss_kib(pid) for pid in pids))
        time.sleep(0.2)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match[1]) if match else 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="bench.replay", description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=200_000)
    p.add_argument("--partitions", type=int, default=6)
    p.add_argument("--database-url", help="reporting's database (default: a fresh SQLite file)")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="antt-bench-"))
    broker = EmbeddedBroker(free_port(), work / "broker.log").start()
    try:
        produced = produce(broker.bootstrap, args.events, args.partitions)
        print(f"produced {produced} events on {len(TOPICS)} topics", flush=True)
        read, bare_s = bare_consume(broker.bootstrap)
        unchecked, unchecked_s = bare_consume(broker.bootstrap, check_crcs=False)
        url = args.database_url or f"sqlite:///{work / 'reporting.db'}"
        env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
            "ANTT_REPORTING_DATABASE_URL": url,
            "ANTT_TOPIC_PARTITIONS": str(args.partitions),
            "ANTT_VAR_DIR": str(work),
        }
        replayed, rebuild_s, own_rate, rss_kib, tree_kib = rebuild(env)
    finally:
        broker.stop()
    bare_rate, replay_rate = read / bare_s, replayed / rebuild_s
    print(f"database: {url.split('://')[0]}")
    print(
        f"ceiling (bare consume + json.loads): {read} events in {bare_s:.1f} s = "
        f"{bare_rate:.0f} events/s"
    )
    print(
        f"for comparison, the same without CRC checks (check_crcs=False): {unchecked} events in "
        f"{unchecked_s:.1f} s = {unchecked / unchecked_s:.0f} events/s"
    )
    print(
        f"rebuild (antt reporting rebuild, whole process): {replayed} events in "
        f"{rebuild_s:.1f} s = {replay_rate:.0f} events/s (its own line: {own_rate:.0f} events/s)"
    )
    print(f"peak RSS of the rebuild process: {rss_kib / 1024:.0f} MiB")
    print(f"peak RSS summed with its reader processes: {tree_kib / 1024:.0f} MiB")
    print(f"ratio rebuild / ceiling: {replay_rate / bare_rate:.2f} (target >= 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
