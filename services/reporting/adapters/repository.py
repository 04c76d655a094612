"""Reads and writes of reporting's event log, directory and unit-year projections."""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa

from services.reporting.adapters.tables import LIVE, Tables
from shared.envelope import Envelope
from shared.events import TOPICS
from shared.persistence.keyset import Page, Paged, read_page

DIRECTORY_EVENTS = ("UnitAdded", "UnitUpdated")


def event_row(env: Envelope, partition=None, offset=None, text: str | None = None) -> dict:
    """The log row of an envelope (`text`: its canonical JSON, if already made)."""
    return {
        "event_id": env.event_id,
        # Handlers are not told the record's topic: each producer has exactly one.
        "topic": TOPICS.get(env.producer, ""),
        "partition": partition,
        "offset": offset,
        "stream_id": env.stream_id,
        "stream_version": env.stream_version,
        "event_type": env.event_type,
        "event_version": env.event_version,
        "unit_id": env.unit_id,
        "year": env.year,
        "occurred_at": env.occurred_at,
        "producer": env.producer,
        "actor": env.actor,
        "hash": env.hash,
        "prev_hash": env.prev_hash,
        "envelope": env.to_bytes().decode() if text is None else text,
    }


def save_events(conn, rows: list[dict], t: Tables = LIVE) -> None:
    if rows:
        conn.execute(t.event_log.insert(), rows)


def serialise(conn, keys) -> None:
    """Let one transaction at a time refold each of these keys (PostgreSQL; SQLite writers
    queue anyway).

    Two consumer instances may apply events of one unit-year from two topics at once; the one
    that takes the lock second reads, after it, both events committed, so the last fold wins
    with everything. The locks are taken in one order (sorted) so that two transactions that
    each refold many keys never wait on each other in a circle."""
    if conn.dialect.name != "postgresql" or not keys:
        return
    locks = sorted({_lock_id(key) for key in keys})
    conn.execute(
        sa.text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:ks AS BIGINT[])) AS k"),
        {"ks": locks},
    )


def _lock_id(key: tuple) -> int:
    digest = hashlib.sha256(repr(("reporting", *key)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def unit_row(conn, unit_id: str, t: Tables = LIVE):
    return conn.execute(sa.select(t.units).where(t.units.c.unit_id == unit_id)).first()


def _envelopes(conn, query) -> list[tuple[int, Envelope]]:
    return [(row.seq, Envelope.from_bytes(row.envelope.encode())) for row in conn.execute(query)]


def _selected(t: Tables, *columns):
    return sa.select(t.event_log.c.seq, t.event_log.c.envelope, *columns).order_by(
        t.event_log.c.seq
    )


def year_events(conn, year: int, t: Tables = LIVE) -> list[tuple[int, Envelope]]:
    return _envelopes(conn, _selected(t).where(t.event_log.c.year == year))


def _unit_query(query, unit_id: str, year: int | None):
    log = LIVE.event_log
    query = query.where(log.c.unit_id == unit_id)
    if year is not None:
        # Events without a year (directory entries, incidents) belong to every year's story.
        query = query.where(sa.or_(log.c.year == year, log.c.year.is_(None)))
    return query


# A unit's story in the order it happened; the event id makes the key unique.
STORY_ORDER = tuple(
    LIVE.event_log.c[name] for name in ("occurred_at", "stream_id", "stream_version", "event_id")
)


def unit_story_page(conn, unit_id: str, year: int | None, page: Page) -> Paged:
    """A page of the unit's envelopes (of the year, and those without one), in story order."""
    query = _unit_query(sa.select(LIVE.event_log.c.envelope, *STORY_ORDER), unit_id, year)
    return read_page(
        conn, query, STORY_ORDER, page, lambda row: Envelope.from_bytes(row.envelope.encode())
    )


def directory_payloads(conn, unit_id: str) -> list[dict]:
    """Every directory entry registration published for the unit, oldest first."""
    log = LIVE.event_log
    query = _selected(LIVE).where(log.c.unit_id == unit_id, log.c.event_type.in_(DIRECTORY_EVENTS))
    return [env.payload for _, env in _envelopes(conn, query)]


def positioned(conn, t: Tables = LIVE, year: int | None = None, types=None):
    """(seq, topic, partition, offset, envelope) of the log (of a year, and the directory;
    of the given event types), in log order."""
    log = t.event_log
    query = sa.select(log.c.seq, log.c.topic, log.c.partition, log.c.offset, log.c.envelope)
    if year is not None:
        query = query.where(sa.or_(log.c.year == year, log.c.event_type.in_(DIRECTORY_EVENTS)))
    if types is not None:
        query = query.where(log.c.event_type.in_(types))
    return conn.execute(query.order_by(log.c.seq)).all()


def log_heads(conn, t: Tables = LIVE) -> tuple[int, dict[str, dict[str, int]]]:
    """The last seq, and per topic and partition the next offset after what the log holds."""
    log = t.event_log
    last_seq = conn.execute(sa.select(sa.func.coalesce(sa.func.max(log.c.seq), 0))).scalar()
    rows = conn.execute(
        sa.select(log.c.topic, log.c.partition, sa.func.max(log.c.offset))
        .where(log.c.offset.is_not(None))
        .group_by(log.c.topic, log.c.partition)
    )
    heads: dict[str, dict[str, int]] = {}
    for topic, partition, offset in rows:
        heads.setdefault(topic, {})[str(partition)] = offset + 1
    return last_seq, {
        t_: dict(sorted(p.items(), key=lambda i: int(i[0]))) for t_, p in sorted(heads.items())
    }


def stored_entries(conn, year: int | None = None, t: Tables = LIVE):
    """Rows for the audit: (seq, wire or None, columns) in log order."""
    log = t.event_log
    query = sa.select(log)
    if year is not None:
        of_year = sa.select(log.c.stream_id).where(log.c.year == year)
        query = query.where(log.c.stream_id.in_(of_year))
    for row in conn.execute(query.order_by(log.c.seq)):
        yield row.seq, _wire(row), _columns(row)


def _columns(row) -> dict:
    return {
        "event_id": row.event_id,
        "stream_id": row.stream_id,
        "stream_version": row.stream_version,
        "hash": row.hash,
    }


def _wire(row) -> dict:
    try:
        wire = json.loads(row.envelope)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than a parser goes
        wire = None
    if not isinstance(wire, dict):
        # Unreadable text still has its place in the chain; its hash cannot be recomputed.
        return {"stream_id": row.stream_id, "stream_version": row.stream_version, "hash": None}
    return wire


def table_rows(conn, table: sa.Table, skip=("seq", "id")) -> list[tuple]:
    """Every row of a table without its surrogate key, sorted: for row-for-row comparisons."""
    columns = [c for c in table.c if c.name not in skip]
    rows = conn.execute(sa.select(*columns)).all()
    return sorted((tuple(_comparable(v) for v in row) for row in rows), key=repr)


def _comparable(value):
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value
