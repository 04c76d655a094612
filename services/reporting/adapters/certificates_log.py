"""The log rows a certificate and its public verification read."""

from __future__ import annotations

import sqlalchemy as sa

from services.reporting.adapters.tables import LIVE
from shared.envelope import Envelope

DECIDED, ANNULLED = "RecognitionDecided", "RecognitionAnnulled"
_COLUMNS = ("event_id", "stream_id", "stream_version", "hash", "occurred_at", "envelope")


def _rows(conn, query) -> list:
    log = LIVE.event_log
    return conn.execute(query.order_by(log.c.seq)).all()


def _select():
    log = LIVE.event_log
    return sa.select(*(log.c[name] for name in _COLUMNS), log.c.unit_id, log.c.year)


def decision_by_event_id(conn, event_id: str):
    log = LIVE.event_log
    rows = _rows(conn, _select().where(log.c.event_id == event_id, log.c.event_type == DECIDED))
    return rows[0] if rows else None


def decisions_of(conn, unit_id: str, year: int) -> list:
    log = LIVE.event_log
    where = (log.c.unit_id == unit_id, log.c.year == year, log.c.event_type == DECIDED)
    return _rows(conn, _select().where(*where))


def annulments_of(conn, unit_id: str, year: int) -> list:
    log = LIVE.event_log
    where = (log.c.unit_id == unit_id, log.c.year == year, log.c.event_type == ANNULLED)
    return _rows(conn, _select().where(*where))


def payload(row) -> dict:
    return Envelope.from_bytes(row.envelope.encode()).payload
