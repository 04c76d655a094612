"""The log rows a refold reads: many units' at once, the envelope text only when needed."""

from __future__ import annotations

import sqlalchemy as sa

from services.reporting.adapters.tables import LIVE, Tables

# The log's columns a fold reads (the envelope text only for events not decoded yet).
FOLD_COLUMNS = (
    "seq event_id hash event_type event_version occurred_at stream_id stream_version actor "
    "unit_id year"
).split()
# Keys looked up with one IN (...) at a time: well under every database's parameter limit.
CHUNK = 500


def _chunks(items: list, size: int = CHUNK) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def fold_rows(conn, unit_ids, years=None, types=None, t: Tables = LIVE) -> list:
    """The log rows of these units (of these years, of these event types) in log order, with
    what a fold needs but without the envelope text (see `envelope_texts`)."""
    log = t.event_log
    columns = [log.c[name] for name in FOLD_COLUMNS]
    out = []
    for chunk in _chunks(sorted(unit_ids)):
        query = sa.select(*columns).where(log.c.unit_id.in_(chunk))
        if years is not None:
            query = query.where(log.c.year.in_(sorted(years)))
        if types is not None:
            query = query.where(log.c.event_type.in_(types))
        out.extend(conn.execute(query).all())
    return sorted(out, key=lambda row: row.seq)


def envelope_texts(conn, seqs, t: Tables = LIVE) -> dict[int, str]:
    log = t.event_log
    out = {}
    for chunk in _chunks(sorted(seqs)):
        query = sa.select(log.c.seq, log.c.envelope).where(log.c.seq.in_(chunk))
        out.update(conn.execute(query).all())
    return out
