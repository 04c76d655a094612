"""Rebuild every projection from the events alone, into fresh tables swapped in atomically."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from services.reporting.adapters import decoded, projections, spill, swap
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
    """Writes events into the fresh log and each unit-year's fold input to the spill table as
    they come, then folds every unit and unit-year once. What it holds in memory is bounded by
    the number of streams and units, not of events: a digest per event id, a version per stream,
    one small directory row per unit."""

    def __init__(self, engine: sa.Engine, fresh: Tables, batch: int = 1000):
        self.engine, self.fresh, self.batch = engine, fresh, batch
        self.seen: set[int] = set()
        self.versions: dict[int, int] = {}  # by the stream id's digest
        self.rows: list[dict] = []
        self.story_rows: list[dict] = []
        # Per unit: its first moment, and the order key of and the fields from its last entry.
        self.directory: dict[str, tuple] = {}
        spill.create(engine)

    def add(self, record, env: Envelope, event, text: str | None = None) -> str | None:
        """Take the event, or say why the live consumer would not have applied it."""
        digest = _digest(env.event_id)
        if digest in self.seen:
            return "duplicate"
        # As the live consumer: one event per stream version, and none after a missing one.
        stream = _digest(env.stream_id)
        applied = self.versions.get(stream, 0)
        if env.stream_version != applied + 1:
            return "version_repeated" if env.stream_version <= applied else "version_gap"
        self.versions[stream] = env.stream_version
        self.seen.add(digest)
        position = (None, None) if record.offset < 0 else (record.partition, record.offset)
        self.rows.append(repo.event_row(env, *position, text=text))
        if env.event_type in repo.DIRECTORY_EVENTS:
            self._directory_entry(env, event)
        if env.unit_id and env.year is not None:
            n = len(self.seen)
            item = decoded.uncached(env, event)
            self.story_rows.append(spill.row(n, env.unit_id, env.year, item))
        if len(self.rows) >= self.batch:
            self.flush()
        return None

    def _directory_entry(self, env: Envelope, event) -> None:
        order = (env.occurred_at, env.stream_id, env.stream_version)
        kept = self.directory.get(env.unit_id)
        if kept is None:
            self.directory[env.unit_id] = (env.occurred_at, order, _entry(event))
            return
        first, last, fields = kept
        if order > last:
            last, fields = order, _entry(event)
        self.directory[env.unit_id] = (min(first, env.occurred_at), last, fields)

    def flush(self) -> None:
        with self.engine.begin() as conn:
            if self.rows:
                conn.execute(self.fresh.event_log.insert(), self.rows)
            if self.story_rows:
                conn.execute(spill.STORIES.insert(), self.story_rows)
        self.rows, self.story_rows = [], []

    def finish(self) -> None:
        self.flush()
        units = [
            dict(zip(_ENTRY_KEYS, fields, strict=True)) | {"added_at": first}
            for first, _, fields in self.directory.values()
        ]
        with self.engine.begin() as conn:
            self._insert(conn, "units", units)
            out: dict[str, list[dict]] = {
                "unit_years": [],
                "unit_year_criteria": [],
                "decisions": [],
            }
            for unit_id, year, story in spill.stories(conn):
                for name, rows in projections.unit_year_rows(unit_id, year, story).items():
                    out[name].extend(rows)
                if len(out["unit_years"]) >= self.batch:
                    out = self._insert_all(conn, out)
            self._insert_all(conn, out)
        spill.drop(self.engine)

    def _insert_all(self, conn, out: dict[str, list[dict]]) -> dict[str, list[dict]]:
        for name, rows in out.items():
            self._insert(conn, name, rows)
        return {name: [] for name in out}

    def _insert(self, conn, name: str, rows: list[dict]) -> None:
        if rows:
            conn.execute(getattr(self.fresh, name).insert(), rows)


_ENTRY_KEYS = (
    "unit_id",
    "jurisdiction",
    "commune_code",
    "unit_type",
    "name",
    "managing_level",
    "demo",
)


def _entry(event) -> tuple:
    """A unit's directory fields as a tuple: a dict per unit costs twice the memory."""
    fields = projections.unit_entry_fields(event)
    return tuple(fields[k] for k in _ENTRY_KEYS)


def _digest(identifier: str) -> int:
    # 96 bits: a collision among a national year's millions of ids is beyond any real chance,
    # and an int of that size costs a fraction of the id's string.
    return int.from_bytes(hashlib.blake2b(identifier.encode(), digest_size=12).digest(), "big")


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
