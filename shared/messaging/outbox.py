"""Outbox relay: publishes committed events in log order and notices a broker that lost its log."""

from __future__ import annotations

import logging
import threading
import time

import sqlalchemy as sa

from shared.clock import Clock, iso_utc
from shared.messaging.leadership import Leadership
from shared.messaging.ports import BrokerUnavailable, Outgoing, Publisher
from shared.observability.metrics import PUBLISHED
from shared.observability.tracing import traceparent_headers
from shared.persistence.tables import events, outbox

log = logging.getLogger(__name__)


class OutboxRelay:
    """At-least-once, in-order publishing of one service's outbox to its topic.

    Rows are marked published only after the broker acked them, so a crash between commit and
    publish (or between publish and mark) loses nothing; consumers drop the duplicates. Before
    its first publication, and after every reconnect, the relay checks that the broker still
    has what it published: a broker that came back empty gets the whole log again, in position
    order, before anything new. Published rows are pruned down to the last one per partition
    (the probe's marks): the events table, not the outbox, is what a republication reads.
    """

    def __init__(self, engine, publisher: Publisher, topic: str, clock: Clock, batch: int = 500):
        self.engine, self.publisher, self.topic, self.clock = engine, publisher, topic, clock
        self.batch = batch
        self.leadership = Leadership(engine, topic)
        self._must_probe = True
        self._last_offsets: dict[int, int] = {}

    def publish_pending(self) -> int:
        """Publish one batch of unpublished rows; return how many went out."""
        if self._must_probe:
            self.check_broker()
        with self.engine.connect() as conn:
            rows = conn.execute(self._pending_query()).all()
        if not rows:
            return 0
        messages = [Outgoing(r.key, r.envelope.encode(), _headers(r)) for r in rows]
        acks = self.publisher.publish(self.topic, messages)
        if self._log_went_back(acks):
            # The broker lost its log since the probe, and this batch landed on the empty one:
            # everything goes again in order (consumers drop what they already applied).
            log.warning("%s: the broker's offsets went back; republishing the log", self.topic)
            self.republish_all()
            return len(rows)
        now = iso_utc(self.clock.now())
        marks = [
            {"p": row.position, "part": partition, "off": offset}
            for row, (partition, offset) in zip(rows, acks, strict=True)
        ]
        with self.engine.begin() as conn:
            conn.execute(_MARK_PUBLISHED.values(published_at=now), marks)
        for partition, offset in acks:
            self._last_offsets[partition] = max(offset, self._last_offsets.get(partition, -1))
        PUBLISHED.labels(self.topic).inc(len(rows))
        return len(rows)

    def check_broker(self) -> None:
        """Probe the broker; republish everything if it lost what we published."""
        if self.broker_lost_log():
            self.republish_all()
        self._must_probe = False

    def broker_lost_log(self) -> bool:
        """True when the last record we published to some partition is no longer there."""
        with self.engine.connect() as conn:
            marks = conn.execute(_last_published_per_partition(self.topic)).all()
        self._last_offsets = {m.partition: m.offset for m in marks}
        for mark in marks:
            if self.publisher.event_id_at(self.topic, mark.partition, mark.offset) != mark.event_id:
                log.warning("broker lost %s[%s]@%s", self.topic, mark.partition, mark.offset)
                return True
        return False

    def republish_all(self) -> None:
        """Forget every publication so the whole log goes out again, in position order: the
        pruned rows come back from the events table."""
        self.publisher.reset()
        self.publisher.ensure_topics([self.topic])
        with self.engine.begin() as conn:
            conn.execute(_RESTORE_PRUNED, {"topic": self.topic})
            conn.execute(
                outbox.update()
                .where(outbox.c.topic == self.topic)
                .values(published_at=None, partition=None, offset=None)
            )
        self._last_offsets = {}

    def prune(self) -> int:
        """Delete published rows but the last one of each partition; return how many went."""
        with self.engine.begin() as conn:
            return conn.execute(_PRUNE, {"topic": self.topic}).rowcount

    def run(self, stop: threading.Event, idle_s: float = 0.2, probe_every_s: float = 5.0) -> None:
        while not stop.is_set():
            if not self.leadership.acquire(stop):
                return
            try:
                ensure_topics_when_reachable(self.publisher, [self.topic], stop)
                self._must_probe = True
                self._loop(stop, idle_s, probe_every_s)
            finally:
                self.leadership.release()

    def _loop(self, stop: threading.Event, idle_s: float, probe_every_s: float) -> None:
        next_probe = time.monotonic() + probe_every_s
        while not stop.is_set() and self.leadership.held():
            try:
                if time.monotonic() >= next_probe:
                    next_probe = time.monotonic() + probe_every_s
                    self._must_probe = True
                    self.prune()
                if self.publish_pending() == 0:
                    stop.wait(idle_s)
            except (BrokerUnavailable, sa.exc.OperationalError) as err:
                log.warning("relay for %s waits: %s", self.topic, err)
                self.publisher.reset()
                self._must_probe = True  # whatever the broker is when it answers, ask first
                stop.wait(2.0)

    def _log_went_back(self, acks: list[tuple[int, int]]) -> bool:
        return any(offset <= self._last_offsets.get(partition, -1) for partition, offset in acks)

    def _pending_query(self):
        return (
            sa.select(
                outbox.c.position,
                outbox.c.key,
                events.c.envelope,
                events.c.event_id,
                events.c.event_type,
                outbox.c.trace_context,
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

# The outbox key of an event, as the append writes it (appending.py, event_store._insert).
_RESTORE_PRUNED = outbox.insert().from_select(
    ["position", "topic", "key"],
    sa.select(
        events.c.position,
        sa.bindparam("topic"),
        sa.func.coalesce(sa.func.nullif(events.c.unit_id, ""), events.c.stream_id),
    ).where(~sa.exists().where(outbox.c.position == events.c.position)),
)

_later = outbox.alias("later")
_PRUNE = outbox.delete().where(
    outbox.c.topic == sa.bindparam("topic"),
    outbox.c.published_at.is_not(None),
    sa.exists().where(
        _later.c.topic == outbox.c.topic,
        _later.c.partition == outbox.c.partition,
        _later.c.published_at.is_not(None),
        _later.c.offset > outbox.c.offset,
    ),
)


def _headers(row) -> dict[str, str]:
    # traceparent: the trace of the request that appended the event, for the consumers' spans.
    return {
        "event_id": row.event_id,
        "event_type": row.event_type,
        **traceparent_headers(row.trace_context),
    }


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
