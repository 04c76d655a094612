"""The exported log: one stored envelope per line (JSON Lines), in the order the log holds them.

Each line is the envelope's exact stored text, so anyone can recompute its hash from the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from services.reporting.adapters.tables import LIVE
from services.reporting.domain.audit import Entry


def export_lines(engine: sa.Engine, year: int | None = None, batch: int = 5000) -> Iterator[str]:
    log, after = LIVE.event_log, 0
    while True:
        query = sa.select(log.c.seq, log.c.envelope).where(log.c.seq > after)
        if year is not None:
            query = query.where(log.c.year == year)
        with engine.connect() as conn:
            rows = conn.execute(query.order_by(log.c.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield row.envelope
        after = rows[-1].seq


def write(lines, path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for line in lines:
            out.write(line + "\n")
            count += 1
    return count


def read_entries(path: Path) -> Iterator[Entry]:
    """Entries of an exported file; the position is the line number."""
    with path.open("rb") as source:
        for number, raw in enumerate(source, start=1):
            text = raw.rstrip(b"\n")
            if not text.strip():
                continue
            try:
                wire = json.loads(text)
            except (ValueError, RecursionError):  # not JSON, or nested too deep to read
                wire = None
            if not isinstance(wire, dict):
                wire = {"stream_id": f"(dòng {number} không đọc được)", "hash": None}
            yield Entry(number, wire)
