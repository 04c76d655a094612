"""Rebuild every projection from the events alone, into fresh tables swapped in atomically."""

from __future__ import annotations

import gc
import time
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from services.reporting.adapters import decoded, projections, swap
from services.reporting.adapters import repository as repo
from services.reporting.adapters.tables import LIVE, REBUILD_SUFFIX, Tables, make_tables
from services.reporting.service_layer.handlers import Pending
from services.reporting.service_layer.sifting import sifted
from shared.envelope import Envelope


@dataclass
class Outcome:
    read: int = 0
    replayed: int = 0
    caught_up: int = 0
    skipped: Counter = field(default_factory=Counter)
    differences: dict = field(default_factory=dict)
    seconds: float = 0.0
    swapped: bool = False

    @property
    def rate(self) -> float:
        return self.replayed / self.seconds if self.seconds else 0.0


def fresh_tables() -> Tables:
    return make_tables(sa.MetaData(), REBUILD_SUFFIX)


class Builder:
    """Collects events into the fresh log, then folds every unit and unit-year once."""

    def __init__(self, engine: sa.Engine, fresh: Tables, batch: int = 1000):
        self.engine, self.fresh, self.batch = engine, fresh, batch
        self.seen: set[str] = set()
        self.versions: dict[str, int] = {}
        self.rows: list[dict] = []
        # Per unit, its first and its last directory entry: all a directory row is made of.
        self.directory: dict[str, list[tuple]] = {}
        self.stories: dict[tuple[str, int], list] = {}

    def add(self, record, env: Envelope, event, text: str | None = None) -> str | None:
        """Take the event, or say why the live consumer would not have applied it."""
        if env.event_id in self.seen:
            return "duplicate"
        # As the live consumer: one event per stream version, and none after a missing one.
        applied = self.versions.get(env.stream_id, 0)
        if env.stream_version != applied + 1:
            return "version_repeated" if env.stream_version <= applied else "version_gap"
        self.versions[env.stream_id] = env.stream_version
        self.seen.add(env.event_id)
        position = (None, None) if record.offset < 0 else (record.partition, record.offset)
        self.rows.append(repo.event_row(env, *position, text=text))
        if env.event_type in repo.DIRECTORY_EVENTS:
            entry = (env.occurred_at, env.stream_id, env.stream_version, event)
            self.directory[env.unit_id] = _first_and_last(self.directory.get(env.unit_id), entry)
        if env.unit_id and env.year is not None:
            story = self.stories.setdefault((env.unit_id, env.year), [])
            story.append(decoded.uncached(env, event))
        if len(self.rows) >= self.batch:
            self.flush()
        return None

    def flush(self) -> None:
        if self.rows:
            with self.engine.begin() as conn:
                conn.execute(self.fresh.event_log.insert(), self.rows)
            self.rows = []
        # What is kept until the final fold only grows: hidden from the cyclic collector, which
        # would otherwise walk all of it again and again (unpickling ran 2.5 times slower).
        gc.freeze()

    def finish(self) -> None:
        self.flush()
        units = [projections.unit_entry_row(pairs) for pairs in self.directory.values()]
        out: dict[str, list[dict]] = {"unit_years": [], "unit_year_criteria": [], "decisions": []}
        for (unit_id, year), story in self.stories.items():
            for name, rows in projections.unit_year_rows(unit_id, year, story).items():
                out[name].extend(rows)
        with self.engine.begin() as conn:
            for name, rows in [("units", units), *out.items()]:
                if rows:
                    conn.execute(getattr(self.fresh, name).insert(), rows)


def _first_and_last(kept: list[tuple] | None, entry: tuple) -> list[tuple]:
    if kept is None:
        return [entry, entry]
    first, last = kept
    return [min(first, entry, key=_order), max(last, entry, key=_order)]


def _order(entry: tuple) -> tuple:
    return entry[:3]


def _catch_up(conn, fresh: Tables) -> int:
    """Apply to the fresh tables what the live consumer stored meanwhile."""
    live, new = LIVE.event_log, fresh.event_log
    missing = conn.execute(
        sa.select(live)
        .where(~sa.exists().where(new.c.event_id == live.c.event_id))
        .order_by(live.c.seq)
    ).all()
    pending = Pending()
    for row in missing:
        pending.add(Envelope.from_bytes(row.envelope.encode()), None, (row.partition, row.offset))
    pending.apply(conn, fresh)
    return len(missing)


def differences(conn, fresh: Tables) -> dict[str, int]:
    """Rows found in one of live / fresh but not the other, per table (0 everywhere: equal)."""
    out = {}
    for live, new in zip(LIVE.all, fresh.all, strict=True):
        a, b = Counter(repo.table_rows(conn, live)), Counter(repo.table_rows(conn, new))
        out[live.name] = sum(((a - b) + (b - a)).values())
    return out


def rebuild(
    engine: sa.Engine, source, progress=None, check_only: bool = False, workers: int = 0
) -> Outcome:
    """Replay `source` (records) into fresh tables; swap them in, or (check_only) compare them
    with the live tables row for row and leave the live ones as they are. `workers` processes
    check and decode the records while this one reads and stores them (0: this one alone)."""
    outcome, fresh, started = Outcome(), fresh_tables(), time.perf_counter()
    swap.create_fresh(engine, fresh)
    builder = Builder(engine, fresh)
    try:
        for record, accepted, reason in sifted(source, workers):
            outcome.read += 1
            refused = reason or (accepted and builder.add(record, *accepted))
            if refused:
                outcome.skipped[refused] += 1
            elif accepted:
                outcome.replayed += 1
            if progress:
                progress(outcome)
        builder.finish()
    finally:
        gc.unfreeze()  # what Builder.flush hid from the collector
    outcome.seconds = time.perf_counter() - started
    with engine.begin() as conn:
        swap.lock_live(conn)
        outcome.caught_up = _catch_up(conn, fresh)
        if check_only:
            outcome.differences = differences(conn, fresh)
        else:
            swap.swap_in(conn, fresh)
            outcome.swapped = True
    if check_only:
        with engine.begin() as conn:
            for table in reversed(fresh.all):
                table.drop(conn)
    return outcome
