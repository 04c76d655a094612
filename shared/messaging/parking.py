"""Parked events: park them, list them, replay them through the consumer, or discard them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import sqlalchemy as sa

from shared.clock import iso_utc
from shared.messaging.claims import CHUNK, StreamGap, Unprocessable
from shared.messaging.ports import Record
from shared.persistence.tables import parked

if TYPE_CHECKING:
    from shared.messaging.consumer import IdempotentConsumer

log = logging.getLogger(__name__)

LISTED = (
    parked.c.id,
    parked.c.consumer,
    parked.c.topic,
    parked.c.partition,
    parked.c.offset,
    parked.c.key,
    parked.c.event_id,
    parked.c.event_type,
    parked.c.stream_id,
    parked.c.waiting_for,
    parked.c.reason,
    parked.c.status,
    parked.c.parked_at,
    parked.c.resolved_at,
)


def list_parked(engine, consumer: str | None = None, status: str | None = "parked") -> list[dict]:
    q = sa.select(*LISTED).order_by(parked.c.id)
    if consumer:
        q = q.where(parked.c.consumer == consumer)
    if status:
        q = q.where(parked.c.status == status)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(q)]


def park(consumer: IdempotentConsumer, record: Record, err: Unprocessable) -> None:
    """Keep the record with the reason, once per consumer and broker position."""
    log.warning(
        "%s parks %s/%s@%s: %s",
        consumer.name,
        record.topic,
        record.partition,
        record.offset,
        err.reason,
    )
    env = err.envelope
    row = {
        "consumer": consumer.name,
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "key": record.key,
        "value": record.value,
        "event_id": env.event_id if env else None,
        "event_type": env.event_type if env else None,
        "stream_id": env.stream_id if env else None,
        "waiting_for": getattr(err, "waiting_for", None),
        "reason": err.reason[:2000],
        "status": "parked",
        "parked_at": iso_utc(consumer.clock.now()),
    }
    with consumer.engine.begin() as conn:
        exists = conn.execute(
            sa.select(parked.c.id).where(
                parked.c.consumer == consumer.name,
                parked.c.topic == record.topic,
                parked.c.partition == record.partition,
                parked.c.offset == record.offset,
            )
        ).first()
        if exists is None:
            conn.execute(parked.insert().values(**row))


def waiting_streams(conn, consumer: str, moved: list[str]) -> list[str]:
    """The streams of this consumer's parked events that `moved` may unblock: parked behind an
    earlier event of one of them, or waiting for one of them (Awaiting)."""
    found: set[str] = set()
    for i in range(0, len(moved), CHUNK):
        rows = conn.execute(_WAITING, {"consumer": consumer, "moved": moved[i : i + CHUNK]})
        found.update(s for s in rows.scalars() if s)
    return sorted(found)


# Built once: the consumer loop asks this after every batch it applies.
_WAITING = (
    sa.select(parked.c.stream_id)
    .distinct()
    .where(
        parked.c.consumer == sa.bindparam("consumer"),
        parked.c.status == "parked",
        sa.or_(
            parked.c.stream_id.in_(sa.bindparam("moved", expanding=True)),
            parked.c.waiting_for.in_(sa.bindparam("moved", expanding=True)),
        ),
    )
)


def replay_parked(
    consumer: IdempotentConsumer, ids: list[int] | None = None, streams: list[str] | None = None
) -> list[dict]:
    """Run parked records of this consumer through it again, oldest first.

    The loop calls it for the streams an applied event just moved on, so an event parked
    because an earlier one was missing takes effect as soon as that one arrives."""
    q = sa.select(parked).where(parked.c.consumer == consumer.name, parked.c.status == "parked")
    if ids:
        q = q.where(parked.c.id.in_(ids))
    if streams:
        q = q.where(parked.c.stream_id.in_(streams))
    with consumer.engine.connect() as conn:
        rows = conn.execute(q.order_by(parked.c.id)).all()
    return [_replay_one(consumer, row) for row in rows]


def discard_parked(engine, parked_id: int, reason: str, clock) -> bool:
    with engine.begin() as conn:
        done = conn.execute(
            parked.update()
            .where(parked.c.id == parked_id, parked.c.status == "parked")
            .values(
                status="discarded",
                reason=parked.c.reason + " | discarded: " + reason,
                resolved_at=iso_utc(clock.now()),
            )
        )
    return done.rowcount == 1


def _replay_one(consumer: IdempotentConsumer, row) -> dict:
    record = Record(row.topic, row.partition, row.offset, row.key, row.value, {})
    # Lift this record's own block so that its stream may move on.
    _set(consumer.engine, row.id, status="replaying")
    try:
        outcome, status, reason = consumer.process(record), "replayed", row.reason
    except (Unprocessable, StreamGap) as err:
        outcome, status, reason = "parked", "parked", str(getattr(err, "reason", err))
    resolved = iso_utc(consumer.clock.now()) if status == "replayed" else None
    _set(consumer.engine, row.id, status=status, reason=reason, resolved_at=resolved)
    if status == "replayed":
        log.info("%s applied parked %s/%s@%s", consumer.name, row.topic, row.partition, row.offset)
    return {"id": row.id, "outcome": outcome, "reason": reason}


def _set(engine, parked_id: int, **values) -> None:
    with engine.begin() as conn:
        conn.execute(parked.update().where(parked.c.id == parked_id).values(**values))
