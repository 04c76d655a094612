"""Parked events, a small repository: park a record with its reason, list, lock, settle, discard."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from shared.clock import Clock, iso_utc
from shared.messaging.claims import CHUNK, Unprocessable
from shared.messaging.ports import Record
from shared.persistence.tables import parked

log = logging.getLogger(__name__)

# What a later event (or the sweep) can unblock: retried without an operator.
RETRYABLE = ("gap", "blocked", "awaiting")
SKIPPED = "skipped"

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
    parked.c.kind,
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


def discard_parked(engine, parked_id: int, reason: str, clock: Clock) -> bool:
    with engine.begin() as conn:
        done = conn.execute(
            parked.update()
            .where(parked.c.id == parked_id, parked.c.status == "parked")
            .values(
                status="discarded",
                reason=parked.c.reason + " | discarded: " + reason[:500],
                resolved_at=iso_utc(clock.now()),
            )
        )
    return done.rowcount == 1


class ParkingLot:
    """One consumer's parked records. Every value written is cut to its column, so that
    parking a hostile record can never fail where the record itself failed."""

    def __init__(self, engine, consumer: str, clock: Clock):
        self.engine, self.consumer, self.clock = engine, consumer, clock

    def park(self, record: Record, err: Unprocessable, status: str = "parked", conn=None) -> None:
        """Keep the record with the reason, once per consumer and broker position."""
        log.warning(
            "%s %s %s/%s@%s: %s",
            self.consumer,
            "skips" if status == SKIPPED else "parks",
            record.topic,
            record.partition,
            record.offset,
            err.reason[:300],
        )
        row = self._row(record, err, status)
        if conn is not None:
            self._insert_once(conn, row)
            return
        with self.engine.begin() as own:
            self._insert_once(own, row)

    def waiting_streams(self, conn, moved: list[str]) -> list[str]:
        """The streams of parked events that `moved` may unblock: parked behind an earlier
        event of one of them, or waiting for one of them (Awaiting)."""
        found: set[str] = set()
        for i in range(0, len(moved), CHUNK):
            part = moved[i : i + CHUNK]
            rows = conn.execute(_WAITING, {"consumer": self.consumer, "moved": part})
            found.update(s for s in rows.scalars() if s)
        return sorted(found)

    def candidates(self, ids=None, streams=None, kinds=None, limit: int = 500) -> list[int]:
        """Ids of parked rows to try again, oldest first."""
        q = sa.select(parked.c.id).where(
            parked.c.consumer == self.consumer, parked.c.status == "parked"
        )
        if ids:
            q = q.where(parked.c.id.in_(ids))
        if streams:
            q = q.where(parked.c.stream_id.in_(streams))
        if kinds:
            q = q.where(parked.c.kind.in_(kinds))
        with self.engine.connect() as conn:
            return list(conn.execute(q.order_by(parked.c.id).limit(limit)).scalars())

    def take(self, conn, parked_id: int):
        """Lock a still-parked row for a replay in `conn`'s transaction and lift its own block
        (its stream no longer waits behind it); None if it was settled meanwhile."""
        row = conn.execute(
            sa.select(parked)
            .where(parked.c.id == parked_id, parked.c.status == "parked")
            .with_for_update(skip_locked=True)
        ).first()
        if row is not None:
            conn.execute(_SETTLE, {"row": parked_id, "to": "replayed", "at": self._now()})
        return row

    def replayed(self, conn, parked_id: int) -> None:
        conn.execute(_SETTLE, {"row": parked_id, "to": "replayed", "at": self._now()})

    def still_parked(self, parked_id: int, reason: str, kind: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                parked.update()
                .where(parked.c.id == parked_id, parked.c.status == "parked")
                .values(reason=reason[:2000], kind=kind)
            )

    def _row(self, record: Record, err: Unprocessable, status: str) -> dict:
        env = err.envelope
        return {
            "consumer": self.consumer,
            "topic": record.topic[:200],
            "partition": record.partition,
            "offset": record.offset,
            "key": _text(record.key, 200),
            "value": record.value,
            "event_id": _text(env.event_id, 100) if env else None,
            "event_type": _text(env.event_type, 100) if env else None,
            "stream_id": _text(env.stream_id, 200) if env else None,
            "waiting_for": _text(getattr(err, "waiting_for", None), 200),
            "kind": err.kind,
            "reason": _text(err.reason, 2000),
            "status": status,
            "parked_at": self._now(),
        }

    def _insert_once(self, conn, row: dict) -> None:
        exists = conn.execute(
            sa.select(parked.c.id).where(
                parked.c.consumer == row["consumer"],
                parked.c.topic == row["topic"],
                parked.c.partition == row["partition"],
                parked.c.offset == row["offset"],
            )
        ).first()
        if exists is None:
            conn.execute(parked.insert().values(**row))

    def _now(self) -> str:
        return iso_utc(self.clock.now())


def _text(value: str | None, size: int) -> str | None:
    # NUL cannot be stored in PostgreSQL text, and a lone surrogate cannot be encoded.
    if value is None:
        return None
    clean = value.replace("\x00", "\ufffd")[:size]
    return clean.encode("utf-8", "replace").decode("utf-8")


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
_SETTLE = (
    parked.update()
    .where(parked.c.id == sa.bindparam("row"))
    .values(status=sa.bindparam("to"), resolved_at=sa.bindparam("at"))
)
