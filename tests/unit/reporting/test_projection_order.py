"""The projections depend on the events only: not on how topics interleave, nor on repeats."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.reporting.adapters import repository as repo
from services.reporting.adapters.tables import LIVE
from services.reporting.bootstrap import bootstrap
from services.reporting.entrypoints.consumer import make_consumer
from services.reporting.service_layer import reports
from shared.clock import FixedClock
from shared.config import Settings
from tests.unit.reporting.world import PATHS, World, records

FAR = datetime(2030, 1, 1, tzinfo=UTC)


def small_world(paths: list[str]) -> World:
    world = World()
    world.campaign()
    world.add_unit("xa-a", "commune", "xa-a")
    for i, path in enumerate(paths):
        unit_id = f"u{i}"
        world.add_unit(unit_id, ("residential_area", "school", "agency")[i % 3], "xa-a")
        world.play(unit_id, path)
        if i % 2:
            world.incident(unit_id, "RA-3")
    world.play("xa-a", paths[0])
    return world


def applied(tmp_path, delivered) -> dict:
    """Deliver the records through reporting's real consumer; read back every table."""
    url = f"sqlite:///{tmp_path}/{uuid.uuid4().hex}.db"
    rt = bootstrap(Settings(service="reporting", database_url=url), FixedClock(FAR))
    consumer = make_consumer(rt)
    outcomes = [consumer.consume(rec) for rec in delivered]
    assert "parked" not in outcomes
    with rt.engine.connect() as conn:
        tables = {t.name: repo.table_rows(conn, t) for t in LIVE.all}
    report = reports.build(rt, 2025, "nha-trang", None, FAR)
    rt.engine.dispose()
    return {"tables": tables, "report": report}


@st.composite
def deliveries(draw):
    """A world, and its records interleaved across topics and keys, some delivered twice."""
    paths = draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=5))
    in_order = records(small_world(paths).envelopes)
    queues: dict[tuple[str, str], list] = {}
    for rec in in_order:
        queues.setdefault((rec.topic, rec.key), []).append(rec)
    shuffled = []
    while queues:
        key = draw(st.sampled_from(sorted(queues)))
        shuffled.append(queues[key].pop(0))
        if not queues[key]:
            del queues[key]
    for _ in range(draw(st.integers(0, 8))):
        i = draw(st.integers(0, len(shuffled) - 1))
        j = draw(st.integers(i + 1, len(shuffled)))
        shuffled.insert(j, shuffled[i])  # a redelivery comes after the first delivery
    return in_order, shuffled


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(deliveries())
def test_any_interleaving_of_topics_with_repeats_gives_the_in_order_projections(tmp_path, case):
    in_order, shuffled = case
    expected, got = applied(tmp_path, in_order), applied(tmp_path, shuffled)
    assert got["tables"] == expected["tables"]
    assert got["report"] == expected["report"]


def test_the_in_order_projection_of_a_full_path_is_what_the_lifecycle_says(tmp_path):
    world = small_world(["returned_then_recognized", "annulled", "never_registered"])
    result = applied(tmp_path, records(world.envelopes))
    years = {row[0]: row for row in result["tables"]["unit_years"]}
    assert years["u0"][2:5] == ("recognized", 2, 1)
    assert years["u1"][2] == "annulled"
    assert "u2" not in years
    decisions = {row[0]: row for row in result["tables"]["decisions"]}
    assert decisions["u1"][6] is True  # annulled
