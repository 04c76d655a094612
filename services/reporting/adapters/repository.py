"""Reads and writes of reporting's event log and unit directory."""

from __future__ import annotations

import json

import sqlalchemy as sa

from services.reporting.adapters.tables import event_log, units
from shared.envelope import Envelope
from shared.events import TOPICS

DIRECTORY_EVENTS = ("UnitAdded", "UnitUpdated")


def save_event(conn, env: Envelope) -> None:
    conn.execute(
        event_log.insert().values(
            event_id=env.event_id,
            # Handlers are not told the record's topic: each producer has exactly one.
            topic=TOPICS.get(env.producer, ""),
            stream_id=env.stream_id,
            stream_version=env.stream_version,
            event_type=env.event_type,
            event_version=env.event_version,
            unit_id=env.unit_id,
            year=env.year,
            occurred_at=env.occurred_at,
            producer=env.producer,
            actor=env.actor,
            hash=env.hash,
            prev_hash=env.prev_hash,
            envelope=env.to_bytes().decode(),
        )
    )


def save_unit(conn, entry, occurred_at: str) -> None:
    values = {
        "jurisdiction": entry.jurisdiction,
        "commune_code": entry.commune_code,
        "unit_type": entry.unit_type,
        "name": entry.name,
        "managing_level": entry.managing_level,
    }
    done = conn.execute(units.update().where(units.c.unit_id == entry.unit_id).values(**values))
    if done.rowcount == 0:
        conn.execute(units.insert().values(unit_id=entry.unit_id, added_at=occurred_at, **values))


def unit_row(conn, unit_id: str):
    return conn.execute(sa.select(units).where(units.c.unit_id == unit_id)).first()


def _envelopes(conn, query) -> list[tuple[int, Envelope]]:
    rows = conn.execute(query.order_by(event_log.c.seq))
    return [(row.seq, Envelope.from_bytes(row.envelope.encode())) for row in rows]


def _seq_and_envelope():
    return sa.select(event_log.c.seq, event_log.c.envelope)


def directory_events(conn) -> list[tuple[int, Envelope]]:
    return _envelopes(conn, _seq_and_envelope().where(event_log.c.event_type.in_(DIRECTORY_EVENTS)))


def year_events(conn, year: int) -> list[tuple[int, Envelope]]:
    return _envelopes(conn, _seq_and_envelope().where(event_log.c.year == year))


def unit_events(conn, unit_id: str, year: int | None) -> list[tuple[int, Envelope]]:
    query = _seq_and_envelope().where(event_log.c.unit_id == unit_id)
    if year is not None:
        # Events without a year (directory entries, incidents) belong to every year's story.
        query = query.where(sa.or_(event_log.c.year == year, event_log.c.year.is_(None)))
    return _envelopes(conn, query)


def stream_wires(conn, year: int | None) -> dict[str, list[dict]]:
    """stream_id → the stored wire envelopes, in the order of their stream_version column."""
    query = sa.select(event_log)
    if year is not None:
        of_year = sa.select(event_log.c.stream_id).where(event_log.c.year == year)
        query = query.where(event_log.c.stream_id.in_(of_year))
    query = query.order_by(event_log.c.stream_id, event_log.c.stream_version, event_log.c.seq)
    streams: dict[str, list[dict]] = {}
    for row in conn.execute(query):
        streams.setdefault(row.stream_id, []).append(_wire(row))
    return streams


def _wire(row) -> dict:
    try:
        return json.loads(row.envelope)
    except json.JSONDecodeError:
        # Unreadable text still has its place in the chain; its hash cannot be recomputed.
        return {"stream_version": row.stream_version, "hash": row.hash, "prev_hash": row.prev_hash}
