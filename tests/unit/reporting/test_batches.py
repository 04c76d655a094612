"""A poll's batch in one transaction refolds each unit-year once, with the rows that applying
its events one at a time gives, and writes only the rows that change."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from services.reporting.adapters import decoded
from services.reporting.adapters import repository as repo
from services.reporting.adapters.tables import LIVE
from services.reporting.bootstrap import bootstrap
from services.reporting.entrypoints.consumer import make_consumer
from services.reporting.service_layer.handlers import PENDING, store_event
from shared.clock import FixedClock
from shared.config import Settings
from shared.envelope import Envelope
from shared.events import REGISTRY
from shared.messaging.consumer import IdempotentConsumer
from shared.messaging.ports import Record
from tests.unit.reporting.world import World, build_year, records

NOW = datetime(2026, 1, 15, tzinfo=UTC)


@pytest.fixture
def runtime(tmp_path):
    def make():
        url = f"sqlite:///{tmp_path}/{uuid.uuid4().hex}.db"
        return bootstrap(Settings(service="reporting", database_url=url), FixedClock(NOW))

    made = []
    yield lambda: made.append(make()) or made[-1]
    for rt in made:
        rt.engine.dispose()


def tables(rt) -> dict:
    with rt.engine.connect() as conn:
        return {t.name: repo.table_rows(conn, t) for t in LIVE.all}


def one_at_a_time(rt, recs) -> dict:
    consumer = make_consumer(rt)
    assert {consumer.consume(rec) for rec in recs} == {"handled"}
    return tables(rt)


def one_unit_year(path="returned_then_recognized") -> list[Record]:
    world = World()
    world.campaign()
    world.add_unit("u1", "school", "xa-a")
    world.play("u1", path)
    return records(world.envelopes)


def test_a_batch_refolds_each_unit_year_once_and_gives_the_one_at_a_time_rows(runtime):
    recs = records(build_year(30, communes=2).envelopes)
    expected = one_at_a_time(runtime(), recs)
    seen: list[list] = []

    def what_is_left_to_refold(conn, state) -> None:  # runs before reporting's own finisher
        seen.append(list(state[PENDING].unit_years))

    rt = runtime()
    finishers = (what_is_left_to_refold, *rt.finishers)
    consumer = IdempotentConsumer(
        "antt-reporting", rt.engine, rt.handlers, rt.clock, finishers=finishers
    )
    assert set(consumer.consume_together(recs)) == {"handled"}
    assert tables(rt) == expected
    [keys] = seen  # one transaction, one refold per unit-year in it
    assert len(keys) == len(set(keys)) == len(expected["unit_years"])


def test_batches_of_any_size_in_any_split_give_the_same_rows(runtime):
    recs = one_unit_year() + records(build_year(10, communes=1).envelopes)[1:]
    expected = one_at_a_time(runtime(), recs)
    for size in (2, 7, 50):
        rt = runtime()
        consumer = make_consumer(rt)
        for start in range(0, len(recs), size):
            assert consumer.consume_together(recs[start : start + size]) is not None
        assert tables(rt) == expected


def test_a_batch_with_a_bad_record_leaves_nothing_and_one_by_one_parks_only_that_one(runtime):
    recs = one_unit_year()
    expected = one_at_a_time(runtime(), recs)
    tampered = Record(recs[2].topic, 0, 99, "u1", recs[2].value.replace(b"u1", b"u9"), {})
    rt = runtime()
    consumer = make_consumer(rt)
    batch = [*recs[:3], tampered, *recs[3:]]
    assert consumer.consume_together(batch) is None
    assert tables(rt) == {t.name: [] for t in LIVE.all}
    outcomes = [consumer.consume(rec) for rec in batch]
    assert outcomes.count("parked") == 1 and outcomes[3] == "parked"
    assert tables(rt) == expected


def test_events_decoded_by_an_earlier_process_are_read_back_from_the_log(runtime):
    recs = one_unit_year()
    expected = one_at_a_time(runtime(), recs)
    rt = runtime()
    consumer = make_consumer(rt)
    consumer.consume_together(recs[:4])
    decoded.KEPT.clear()  # as after a restart
    consumer.consume_together(recs[4:])
    assert tables(rt) == expected


def test_a_handler_called_alone_refolds_at_once(runtime):
    recs = one_unit_year("submitted")
    rt = runtime()
    with rt.engine.begin() as conn:
        for rec in recs:
            env = Envelope.from_bytes(rec.value)
            store_event(env, REGISTRY.decode(env.event_type, env.event_version, env.payload), conn)
    got, expected = tables(rt), one_at_a_time(runtime(), recs)
    for table in LIVE.projections:  # the log differs only by the records' unknown positions
        assert got[table.name] == expected[table.name]
    assert got["unit_years"] != []


def test_a_later_event_updates_the_unit_year_in_place_and_leaves_unchanged_rows_alone(runtime):
    recs = one_unit_year("recognized")
    rt = runtime()
    consumer = make_consumer(rt)
    at = next(i for i, rec in enumerate(recs) if b'"RecognitionDecided"' in rec.value)
    consumer.consume_together(recs[:at])
    ids = row_ids(rt)
    consumer.consume_together([recs[at]])
    after = row_ids(rt)
    assert after["unit_years"] == ids["unit_years"]
    assert after["unit_year_criteria"] == ids["unit_year_criteria"] != []
    assert after["units"] == ids["units"]
    assert ids["decisions"] == [] and len(after["decisions"]) == 1


def row_ids(rt) -> dict[str, list[int]]:
    with rt.engine.connect() as conn:
        return {t.name: sorted(conn.execute(sa.select(t.c.id)).scalars()) for t in LIVE.projections}
