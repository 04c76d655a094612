"""A rebuild replays the events into fresh tables equal to the live ones, and swaps them in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.reporting.adapters import repository as repo
from services.reporting.adapters.sources import StoredLog
from services.reporting.adapters.tables import LIVE
from services.reporting.bootstrap import bootstrap
from services.reporting.entrypoints.consumer import make_consumer
from services.reporting.service_layer import reports
from services.reporting.service_layer.rebuild import rebuild
from shared.clock import FixedClock
from shared.config import Settings
from shared.messaging.ports import BrokerUnavailable, Record
from tests.unit.reporting.world import World, build_year, records

NOW = datetime(2026, 1, 15, tzinfo=UTC)


@pytest.fixture
def live(tmp_path):
    rt = bootstrap(
        Settings(service="reporting", database_url=f"sqlite:///{tmp_path}/r.db"), FixedClock(NOW)
    )
    recs = records(build_year(40, communes=2).envelopes)
    consumer = make_consumer(rt)
    for rec in recs:
        assert consumer.consume(rec) == "handled"
    yield rt, recs
    rt.engine.dispose()


def snapshot(rt) -> dict:
    with rt.engine.connect() as conn:
        return {t.name: repo.table_rows(conn, t) for t in LIVE.all}


def test_a_rebuild_from_the_records_equals_the_live_projection_row_for_row(live):
    rt, recs = live
    before = snapshot(rt)
    checked = rebuild(rt.engine, recs, check_only=True)
    assert checked.differences == dict.fromkeys(before, 0)
    assert not checked.swapped and snapshot(rt) == before
    done = rebuild(rt.engine, recs)
    assert (done.swapped, done.replayed, done.caught_up) == (True, len(recs), 0)
    assert snapshot(rt) == before


def test_rebuilds_can_follow_each_other_and_the_consumer_goes_on_afterwards(live):
    rt, recs = live
    before = snapshot(rt)
    for _ in range(2):
        assert rebuild(rt.engine, StoredLog(rt.engine, batch=50)).swapped
    assert snapshot(rt) == before
    later = World(year=2026)
    later.add_unit("dv-later", "school", "xa-0")
    later.play("dv-later", "recognized")
    late = records(later.envelopes)
    consumer = make_consumer(rt)
    assert {consumer.consume(rec) for rec in late} == {"handled"}
    report = reports.build(rt, 2025, "nha-trang", None, NOW)
    assert report["totals"]["listed"] == 43
    assert set(rebuild(rt.engine, [*recs, *late], check_only=True).differences.values()) == {0}


def test_events_the_live_consumer_stored_during_the_replay_are_kept(live):
    rt, recs = live
    before = snapshot(rt)
    outcome = rebuild(rt.engine, recs[:-25])
    assert outcome.caught_up == 25
    assert snapshot(rt) == before


def test_a_rebuild_applies_what_the_consumer_would_and_counts_the_rest(live):
    rt, recs = live
    before = snapshot(rt)
    tampered = Record("antt.review", 0, 999, "x", recs[-1].value.replace(b"2025", b"2024"), {})
    garbage = Record("antt.review", 0, 1000, "x", b"not json", {})
    outcome = rebuild(rt.engine, [*recs, recs[3], tampered, garbage])
    assert dict(outcome.skipped) == {"duplicate": 1, "tampered": 1, "malformed": 1}
    assert snapshot(rt) == before


def test_a_rebuild_with_decoding_processes_gives_the_same_tables_and_the_same_skips(live):
    rt, recs = live
    before = snapshot(rt)
    tampered = Record("antt.review", 0, 10**6, "x", recs[0].value.replace(b"e", b"E", 1), {})
    hostile = [*recs, Record("antt.review", 0, 10**6 + 1, "x", b"{not json", {}), tampered]
    alone = rebuild(rt.engine, hostile, check_only=True, workers=0)
    beside = rebuild(rt.engine, hostile, workers=2)
    assert beside.skipped == alone.skipped and sum(alone.skipped.values()) == 2
    assert (beside.replayed, beside.swapped) == (len(recs), True)
    assert snapshot(rt) == before


class ListShare:
    """A share of records that a reader process opens (picklable, as a broker share is)."""

    def __init__(self, records, fail: str | None = None):
        self.records, self.fail = records, fail

    def open(self):
        if self.fail:
            raise BrokerUnavailable(self.fail)
        return Counted(self.records)


class Counted(list):
    def total(self) -> int:
        return len(self)


class DealtSource:
    """A source dealt into shares, each read by its own reader process."""

    def __init__(self, *shares):
        self._shares, self.totals = list(shares), {}

    def shares(self, n: int):
        return self._shares

    def share_read(self, index: int, total: int) -> None:
        self.totals[index] = total


def test_a_rebuild_whose_readers_each_read_a_share_gives_the_same_tables(live):
    rt, recs = live
    before = snapshot(rt)
    by_unit = [[r for r in recs if hash(r.key) % 2 == n] for n in range(2)]  # streams kept whole
    source = DealtSource(*(ListShare(part) for part in by_unit))
    done = rebuild(rt.engine, source, workers=2)
    assert (done.replayed, done.swapped) == (len(recs), True)
    assert source.totals == {0: len(by_unit[0]), 1: len(by_unit[1])}
    assert snapshot(rt) == before


def test_a_rebuild_whose_reader_fails_stops_and_leaves_the_live_tables_alone(live):
    rt, recs = live
    before = snapshot(rt)
    source = DealtSource(ListShare(recs), ListShare([], fail="the broker went away"))
    with pytest.raises(RuntimeError, match="the broker went away"):
        rebuild(rt.engine, source, workers=2)
    assert snapshot(rt) == before
