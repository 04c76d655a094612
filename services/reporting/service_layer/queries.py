"""Reporting's read side: the audit of the stored log (a unit's history: history.py)."""

from __future__ import annotations

import sqlalchemy as sa

from services.reporting.adapters import repository as repo
from services.reporting.domain import audit
from shared.envelope import envelope_hash
from shared.persistence.tables import stream_seen
from shared.runtime import consumer_name


def _applied_versions(conn, service: str) -> dict[str, int]:
    rows = conn.execute(
        sa.select(stream_seen.c.stream_id, stream_seen.c.version).where(
            stream_seen.c.consumer == consumer_name(service)
        )
    )
    return dict(rows.all())


def verify(rt, year: int | None = None) -> dict:
    """Recompute every hash, link and version of the stored log (the streams of `year`)."""
    with rt.engine.connect() as conn:
        entries = [audit.Entry(*e) for e in repo.stored_entries(conn, year)]
        # The consumer's own count per stream reveals a deleted last event; whole log only.
        seen = _applied_versions(conn, rt.settings.service) if year is None else None
    return audit.verify(entries, envelope_hash, seen)
