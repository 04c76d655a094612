"""Parked events: list them, replay them through the consumer, or discard them with a reason."""

from __future__ import annotations

import sqlalchemy as sa

from shared.clock import iso_utc
from shared.messaging.consumer import IdempotentConsumer, StreamGap, Unprocessable
from shared.messaging.ports import Record
from shared.persistence.tables import parked

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


def replay_parked(consumer: IdempotentConsumer, ids: list[int] | None = None) -> list[dict]:
    """Run parked records of this consumer through it again, oldest first."""
    q = sa.select(parked).where(parked.c.consumer == consumer.name, parked.c.status == "parked")
    if ids:
        q = q.where(parked.c.id.in_(ids))
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
    return {"id": row.id, "outcome": outcome, "reason": reason}


def _set(engine, parked_id: int, **values) -> None:
    with engine.begin() as conn:
        conn.execute(parked.update().where(parked.c.id == parked_id).values(**values))
