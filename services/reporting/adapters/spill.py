"""Where a rebuild keeps what each unit-year's fold needs until the end: on disk, not in memory.

A national year holds millions of events: kept decoded in memory until the final fold, they
made the rebuild's memory grow with the log. Each one is written here (pickled, beside its
order) as it is read, and read back one unit-year at a time, in order, for the fold."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import sqlalchemy as sa

from services.reporting.domain.lifecycle import Logged

STORIES = sa.Table(
    "rebuild_stories",
    sa.MetaData(),
    sa.Column("n", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("unit_id", sa.String(100), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("item", sa.LargeBinary, nullable=False),
)
_IN_ORDER = sa.select(STORIES.c.unit_id, STORIES.c.year, STORIES.c.item).order_by(
    STORIES.c.unit_id, STORIES.c.year, STORIES.c.n
)


def create(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        STORIES.drop(conn, checkfirst=True)
        STORIES.create(conn)


def drop(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        STORIES.drop(conn, checkfirst=True)


def row(n: int, unit_id: str, year: int, logged: Logged) -> dict:
    return {
        "n": n,
        "unit_id": unit_id,
        "year": year,
        "item": pickle.dumps(logged, pickle.HIGHEST_PROTOCOL),
    }


def stories(conn, chunk: int = 2000) -> Iterator[tuple[str, int, list[Logged]]]:
    """Each unit-year with its events (the fold puts them in the order they happened), read in
    chunks from a server-side cursor: one unit-year in memory at a time. The caller may write
    on the same connection meanwhile (SQLite would refuse a second one)."""
    key, story = None, []
    # Options on the statement, not the connection: on the connection they would make the
    # caller's inserts use a server-side cursor too (which cannot executemany).
    rows = conn.execute(_IN_ORDER.execution_options(stream_results=True, yield_per=chunk))
    for unit_id, year, item in rows:
        if (unit_id, year) != key:
            if key is not None:
                yield (*key, story)
            key, story = (unit_id, year), []
        story.append(pickle.loads(item))  # written by this very rebuild, never from outside
    if key is not None:
        yield (*key, story)
