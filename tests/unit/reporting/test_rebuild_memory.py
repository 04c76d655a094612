"""A rebuild's memory does not grow with the log: per event it keeps a digest of the id and
nothing decoded (the fold's input waits on disk, read back one unit-year at a time)."""

from __future__ import annotations

import sys
from collections import Counter

import sqlalchemy as sa

from services.reporting.adapters import spill, swap
from services.reporting.service_layer.intake import accepted_event
from services.reporting.service_layer.rebuild import Builder, fresh_tables
from tests.unit.reporting.world import build_year, records


def deep_size(value, seen=None) -> int:
    """Bytes held by a value and everything it contains (each object counted once)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        size += sum(deep_size(v, seen) for v in value)
    return size


def held(tmp_path, units: int) -> tuple[int, int]:
    """What the builder keeps in memory after reading a year of `units` units (flushed)."""
    engine = sa.create_engine(f"sqlite:///{tmp_path}/m{units}.db")
    fresh = fresh_tables()
    swap.create_fresh(engine, fresh)
    recs = records(build_year(units, communes=4).envelopes)
    builder = Builder(engine, fresh, batch=50)
    for rec in recs:
        builder.add(rec, *accepted_event(rec, Counter()))
    builder.flush()
    kept = deep_size(vars(builder) | {"engine": None, "fresh": None})
    builder.finish()
    engine.dispose()
    return kept, len(recs)


def test_the_builder_keeps_a_few_dozen_bytes_per_event_not_the_decoded_event(tmp_path):
    small, small_n = held(tmp_path, 150)
    large, large_n = held(tmp_path, 600)
    assert large_n > 3 * small_n
    per_event = (large - small) / (large_n - small_n)  # what one more event costs
    # A decoded event with its envelope fields is about a kibibyte; the digest, the stream's
    # version and a unit's directory row share out to far less.
    assert per_event < 300, per_event


def test_the_fold_reads_back_every_unit_year_it_was_given(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path}/s.db")
    fresh = fresh_tables()
    swap.create_fresh(engine, fresh)
    recs = records(build_year(30, communes=2).envelopes)
    builder = Builder(engine, fresh, batch=7)
    for rec in recs:
        builder.add(rec, *accepted_event(rec, Counter()))
    builder.flush()
    with engine.connect() as conn:
        read_back = {(u, y): len(story) for u, y, story in spill.stories(conn, chunk=5)}
    expected = Counter((r.unit_id, r.year) for r in builder_rows(engine))
    assert read_back == dict(expected)


def builder_rows(engine):
    with engine.connect() as conn:
        query = sa.text(
            "SELECT unit_id, year FROM event_log_rebuild "
            "WHERE year IS NOT NULL AND unit_id IS NOT NULL"
        )
        return conn.execute(query).all()
