"""`antt recover`: bring a service's database level with the log after it was restored from a
backup older than the log.

What the backup missed is still on the topics: the service's own events that were published
after the backup (its topic; each carries its stream version and hash chain) go back into its
event store, exactly as sealed, after the head, and its own write-side tables follow them (the
service's `service_layer/recovery.py:reproject`, if it has any). Events the backup held
unpublished but that went out meanwhile are marked published where they are, so the relay does
not send them twice. Then its consumer reads every topic it consumes from the start: its inbox
skips what the restored database already applied and applies what it missed. Run it while the
service's processes are stopped (nothing must append in between); running it twice adds nothing.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

from shared.clock import iso_utc
from shared.envelope import Envelope
from shared.messaging.claims import StreamGap, Unprocessable
from shared.messaging.ports import Record
from shared.messaging.reading import read_record
from shared.persistence.tables import events, outbox

log = logging.getLogger(__name__)
CHUNK = 500


@dataclass
class Recovered:
    """What a recovery did: events put back, outbox rows found published, records re-read."""

    restored: int = 0
    marked_published: int = 0
    reread: dict[str, int] = field(default_factory=dict)


def recover(rt, records_of) -> Recovered:
    """`records_of(topics)`: every record of those topics from their first offset to their end
    (shared.messaging.kafka.read_to_end in production, the memory broker in tests)."""
    done, put_back = Recovered(), []
    if rt.store is not None:
        put_back, done.marked_published = restore_own_events(rt, list(records_of([rt.store.topic])))
        done.restored = len(put_back)
    done.reread = reconsume(rt, records_of(list(rt.consumer_topics)))
    hook = getattr(_service_recovery(rt), "after_reread", None)
    if hook is not None and put_back:
        with rt.engine.begin() as conn:
            hook(rt, conn, put_back)
    return done


def restore_own_events(rt, records: list[Record]) -> tuple[list[Envelope], int]:
    """Put back the service's own events its store lacks (returned, in log order); mark
    published what went out."""
    store, placed, lost = rt.store, {}, {}
    for record in records:
        env = read_record(record, store.registry).envelope  # hash, producer, topic checked
        placed.setdefault(env.event_id, (record.partition, record.offset))
        lost.setdefault(env.event_id, (env, record))
    now = iso_utc(rt.clock.now())
    with rt.engine.begin() as conn:
        known = set(conn.execute(sa.select(events.c.event_id)).scalars())
        missing = sorted(
            (item for event_id, item in lost.items() if event_id not in known),
            key=lambda item: (item[0].occurred_at, item[1].partition, item[1].offset),
        )
        if missing:
            store.restore(conn, [env for env, _ in missing])
            _reproject(rt, conn, [env for env, _ in missing])
        marked = _mark_published(conn, placed, now)
    log.info("recover %s: %d event(s) put back from %s", store.producer, len(missing), store.topic)
    return [env for env, _ in missing], marked


def reconsume(rt, records) -> dict[str, int]:
    """Run every record of the consumed topics through the service's consumer (inbox: once)."""
    from shared.runtime import make_consumer

    consumer = make_consumer(rt)
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= CHUNK:
            _apply(consumer, chunk)
            chunk = []
    _apply(consumer, chunk)
    consumer.sweep()
    return dict(consumer.counts)


def _apply(consumer, chunk: list[Record]) -> None:
    if not chunk or consumer.consume_together(chunk) is not None:
        return
    for record in chunk:
        try:
            consumer.consume(record)
        except StreamGap as gap:  # read from the start, so a predecessor is truly missing
            consumer.park(
                record, Unprocessable(f"missing earlier event: {gap}", gap.envelope, "gap")
            )


def _reproject(rt, conn, envelopes: list[Envelope]) -> None:
    """The service's own tables that its commands keep beside the events (registration's
    directory, review's timelines): brought up to date from the events put back."""
    module = _service_recovery(rt)
    if module is None:
        log.warning("recover %s: no write-side tables to bring up to date", rt.settings.service)
        return
    module.reproject(rt, conn, envelopes)


def _service_recovery(rt):
    """The service's `service_layer/recovery.py` (reproject, and maybe after_reread), if any."""
    name = f"services.{rt.settings.service}.service_layer.recovery"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name != name:
            raise
        return None


def _mark_published(conn, placed: dict, now: str) -> int:
    """Outbox rows whose event is on the topic: published there (the relay's probe reads these
    marks), so nothing goes out twice."""
    rows = conn.execute(
        sa.select(outbox.c.position, events.c.event_id)
        .join(events, events.c.position == outbox.c.position)
        .where(outbox.c.published_at.is_(None))
    ).all()
    marks = [
        {"p": r.position, "part": placed[r.event_id][0], "off": placed[r.event_id][1]}
        for r in rows
        if r.event_id in placed
    ]
    if marks:
        conn.execute(
            outbox.update()
            .where(outbox.c.position == sa.bindparam("p"))
            .values(published_at=now, partition=sa.bindparam("part"), offset=sa.bindparam("off")),
            marks,
        )
    return len(marks)
