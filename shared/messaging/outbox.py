"""Outbox relay: publishes committed events in log order and notices a broker that lost its log."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import zlib

import sqlalchemy as sa

from shared.clock import Clock, iso_utc
from shared.messaging.ports import BrokerUnavailable, Outgoing, Publisher
from shared.persistence.tables import events, outbox

log = logging.getLogger(__name__)


class OutboxRelay:
    """At-least-once, in-order publishing of one service's outbox to its topic.

    Rows are marked published only after the broker acked them, so a crash between commit and
    publish (or between publish and mark) loses nothing; consumers drop the duplicates.
    """

    def __init__(self, engine, publisher: Publisher, topic: str, clock: Clock, batch: int = 500):
        self.engine, self.publisher, self.topic, self.clock = engine, publisher, topic, clock
        self.batch = batch

    def publish_pending(self) -> int:
        """Publish one batch of unpublished rows; return how many went out."""
        with self.engine.connect() as conn:
            rows = conn.execute(self._pending_query()).all()
        if not rows:
            return 0
        messages = [Outgoing(r.key, r.envelope.encode(), _headers(r)) for r in rows]
        acks = self.publisher.publish(self.topic, messages)
        now = iso_utc(self.clock.now())
        marks = [
            {"p": row.position, "part": partition, "off": offset}
            for row, (partition, offset) in zip(rows, acks, strict=True)
        ]
        with self.engine.begin() as conn:
            conn.execute(_MARK_PUBLISHED.values(published_at=now), marks)
        return len(rows)

    def broker_lost_log(self) -> bool:
        """True when the last record we published to some partition is no longer there."""
        with self.engine.connect() as conn:
            marks = conn.execute(_last_published_per_partition(self.topic)).all()
        for mark in marks:
            if self.publisher.event_id_at(self.topic, mark.partition, mark.offset) != mark.event_id:
                log.warning("broker lost %s[%s]@%s", self.topic, mark.partition, mark.offset)
                return True
        return False

    def republish_all(self) -> None:
        """Forget every publication so the whole outbox goes out again, in order."""
        self.publisher.reset()
        self.publisher.ensure_topics([self.topic])
        with self.engine.begin() as conn:
            conn.execute(
                outbox.update()
                .where(outbox.c.topic == self.topic)
                .values(published_at=None, partition=None, offset=None)
            )

    def run(self, stop: threading.Event, idle_s: float = 0.2, probe_every_s: float = 5.0) -> None:
        with self._leadership(stop):
            self._ensure_topic(stop)
            self._loop(stop, idle_s, probe_every_s)

    def _loop(self, stop: threading.Event, idle_s: float, probe_every_s: float) -> None:
        next_probe = time.monotonic() + probe_every_s
        while not stop.is_set():
            try:
                if time.monotonic() >= next_probe:
                    next_probe = time.monotonic() + probe_every_s
                    if self.broker_lost_log():
                        self.republish_all()
                if self.publish_pending() == 0:
                    stop.wait(idle_s)
            except (BrokerUnavailable, sa.exc.OperationalError) as err:
                log.warning("relay for %s waits: %s", self.topic, err)
                self.publisher.reset()
                stop.wait(2.0)

    def _ensure_topic(self, stop: threading.Event) -> None:
        ensure_topics_when_reachable(self.publisher, [self.topic], stop)

    @contextlib.contextmanager
    def _leadership(self, stop: threading.Event):
        """On PostgreSQL one relay per topic publishes; a second instance stands by."""
        if self.engine.dialect.name != "postgresql":
            yield
            return
        key = zlib.crc32(self.topic.encode())
        with self.engine.connect() as conn:
            while not conn.execute(sa.text(f"SELECT pg_try_advisory_lock({key})")).scalar():
                conn.rollback()
                if stop.wait(1.0):
                    break
            conn.commit()
            yield

    def _pending_query(self):
        return (
            sa.select(
                outbox.c.position,
                outbox.c.key,
                events.c.envelope,
                events.c.event_id,
                events.c.event_type,
            )
            .join(events, events.c.position == outbox.c.position)
            .where(outbox.c.topic == self.topic, outbox.c.published_at.is_(None))
            .order_by(outbox.c.position)
            .limit(self.batch)
        )


def ensure_topics_when_reachable(publisher: Publisher, topics: list[str], stop) -> None:
    """Create missing topics, waiting (and saying why) while the broker cannot be reached."""
    while not stop.is_set():
        try:
            publisher.ensure_topics(topics)
            return
        except BrokerUnavailable as err:
            log.warning("waiting for the broker to create %s: %s", topics, err)
            stop.wait(2.0)


# One statement for a whole batch (executemany): 500 single-row updates would hold the relay.
_MARK_PUBLISHED = (
    outbox.update()
    .where(outbox.c.position == sa.bindparam("p"))
    .values(partition=sa.bindparam("part"), offset=sa.bindparam("off"))
)


def _headers(row) -> dict[str, str]:
    return {"event_id": row.event_id, "event_type": row.event_type}


def _last_published_per_partition(topic: str):
    latest = (
        sa.select(outbox.c.partition, sa.func.max(outbox.c.offset).label("offset"))
        .where(outbox.c.topic == topic, outbox.c.published_at.is_not(None))
        .group_by(outbox.c.partition)
        .subquery()
    )
    return (
        sa.select(latest.c.partition, latest.c.offset, events.c.event_id)
        .join(
            outbox,
            sa.and_(
                outbox.c.partition == latest.c.partition,
                outbox.c.offset == latest.c.offset,
                outbox.c.topic == topic,
            ),
        )
        .join(events, events.c.position == outbox.c.position)
    )
