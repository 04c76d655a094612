"""Where a rebuild reads the events from: the broker's topics from offset 0, or the stored log."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import sqlalchemy as sa

from services.reporting.adapters.tables import LIVE
from shared.messaging.ports import Record


class BrokerTopics:
    """Every topic from its first offset to its current end, read by a fresh consumer.

    The group is new and never commits, so the live consumer group is left alone. The kernel's
    subscription does not expose end offsets: the end is where every assigned partition's
    position has reached its high-water mark and two polls in a row brought nothing.
    """

    def __init__(self, settings, topics, idle_polls: int = 2, wait_s: float = 30.0):
        from shared.messaging.kafka import KafkaSubscription
        from shared.runtime import kafka_publisher

        s = settings
        # Topics missing on a fresh cluster are created with the configured layout (RF, ISR).
        publisher = kafka_publisher(s, "rebuild")
        publisher.ensure_topics(list(topics))
        publisher.close()
        group = f"antt-reporting-rebuild-{uuid.uuid4().hex[:12]}"
        self._sub = KafkaSubscription(s.kafka_bootstrap_servers, s.kafka_security, group, topics)
        self.idle_polls, self.wait_s = idle_polls, wait_s

    def total(self) -> int | None:
        progress = self._sub.progress()
        return sum(hw for *_, hw in progress) if progress else None

    def __iter__(self) -> Iterator[Record]:
        idle, started = 0, time.monotonic()
        try:
            while True:
                records = self._sub.poll(1.0)
                yield from records
                progress = self._sub.progress()
                caught_up = bool(progress) and all(pos >= hw for *_, pos, hw in progress)
                idle = 0 if records or not caught_up else idle + 1
                if idle >= self.idle_polls:
                    return
                if not progress and time.monotonic() - started > self.wait_s:
                    return  # no partition answered: nothing to read
        finally:
            self._sub.close()


class StoredLog:
    """reporting's own durable copy of every event, in the order it arrived."""

    def __init__(self, engine: sa.Engine, batch: int = 2000):
        self.engine, self.batch = engine, batch

    def total(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(LIVE.event_log)).scalar()

    def __iter__(self) -> Iterator[Record]:
        log, after = LIVE.event_log, 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(log.c.seq, log.c.topic, log.c.partition, log.c.offset)
                    .add_columns(log.c.stream_id, log.c.envelope)
                    .where(log.c.seq > after)
                    .order_by(log.c.seq)
                    .limit(self.batch)
                ).all()
            if not rows:
                return
            for row in rows:
                yield Record(
                    row.topic,
                    -1 if row.partition is None else row.partition,
                    -1 if row.offset is None else row.offset,
                    row.stream_id,
                    row.envelope.encode(),
                    {"seq": str(row.seq)},
                )
            after = rows[-1].seq
