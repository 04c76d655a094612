"""Faults in the middle of a load of thousands of cases: workers killed with -9, the broker
stopped and restarted empty, PostgreSQL restarted, every consumer running twice in its group.

One load runs in the background through the whole module; the tests inject the faults one
after another while it runs, and the last one stops it and checks that every projection equals
what the producers' event stores imply (tests/e2e/load_check.py).
"""

from __future__ import annotations

import os
import time

import pytest

from tests.e2e import load_check, load_driver
from tests.e2e.client import wait_until
from tests.e2e.load_cluster import PrivatePostgres
from tests.e2e.load_stack import (
    CONSUMERS,
    WORKER_PROCESSES,
    alive,
    last_assignment,
    start_system,
    stop_system,
)

pytestmark = pytest.mark.e2e
# At least 2,000 cases (a smaller number may be set while working on this module).
MIN_CASES = int(os.environ.get("ANTT_LOAD_CASES", "2000"))
# Cases started per second while the faults run (about 100 s): a faster machine would otherwise
# start thousands more than the minimum, and settling their mails would take minutes.
CASES_PER_S = float(os.environ.get("ANTT_LOAD_CASES_PER_S", "20"))
BROKER_HELD_S = 30
PRODUCERS = ("registration", "review", "notification")
RELAYS = tuple(f"{s}-relay" for s in PRODUCERS)


@pytest.fixture(scope="module")
def private_pg():
    pg = PrivatePostgres().start()
    yield pg
    pg.destroy()


@pytest.fixture(scope="module")
def system(private_pg, tmp_path_factory):
    system = start_system(private_pg, tmp_path_factory.mktemp("load"))
    yield system
    stop_system(system)


@pytest.fixture(scope="module")
def load(system):
    load = load_driver.Load(system, load_driver.prepare(system))
    load.start(min_cases=MIN_CASES, max_cases=10 * MIN_CASES, per_s=CASES_PER_S)
    yield load
    load.abort()


def assignments(system, name):
    """Both instances' partitions once they are disjoint and cover every topic's partitions."""
    first, second = last_assignment(system, name), last_assignment(system, f"{name}-2")
    topics = {t for t, _ in first[1] | second[1]}
    whole = {(t, p) for t in topics for p in range(6)}
    shared = (
        first[0] == second[0]
        and first[1]
        and second[1]
        and not first[1] & second[1]
        and first[1] | second[1] == whole
    )
    return (first, second) if shared else None


def unpublished_marks(system) -> dict:
    """The last outbox position of each producer now: a backlog is drained once all rows up
    to it are published (the load keeps adding rows after it)."""
    return {s: system.scalar(s, "SELECT coalesce(max(position), 0) FROM outbox") for s in PRODUCERS}


def drained(system, marks: dict, relays=RELAYS) -> bool:
    return all(
        system.scalar(
            s,
            "SELECT count(*) FROM outbox WHERE published_at IS NULL AND position <= :p",
            p=marks[s],
        )
        == 0
        for s in (r.removesuffix("-relay") for r in relays)
    )


def test_two_instances_of_each_consumer_share_its_partitions(system, load):
    load.wait_for("submit", 50, "the load to get going")
    for name in CONSUMERS:
        (group, mine), (_, theirs) = wait_until(
            lambda n=name: assignments(system, n), f"{name}'s two instances to split partitions"
        )
        assert group.startswith(f"antt-{name.split('-')[0]}.")
        assert len(mine) >= 1 and len(theirs) >= 1


def test_each_worker_killed_with_minus_9_mid_load_is_restarted_and_catches_up(system, load):
    for name in WORKER_PROCESSES:
        system.stack.kill(name)  # SIGKILL: no clean-up, no offset commit, no claim released
        load.wait_for("submit", 20, f"the load to go on without {name}")
        system.stack.start_process(name)
    for name in CONSUMERS:
        system.stack.kill(f"{name}-2")
        load.wait_for("submit", 10, f"the load to go on without {name}-2")
        system.stack.start_process(name, instance=2)
    assert sorted(alive(system)) == sorted(system.stack.processes)


def test_the_broker_restarted_empty_mid_load_is_filled_again_by_the_relays(system, load):
    marks = unpublished_marks(system)
    system.broker.restart()
    load.wait_for("submit", 50, "the load to go on after the broker restart")
    wait_until(lambda: drained(system, marks), "the relays to publish to the empty broker")


def test_while_postgresql_restarts_requests_get_a_clear_503_and_service_resumes(
    system, load, private_pg
):
    start = time.monotonic()
    private_pg.stop()
    try:
        probe = system.api(
            "registration", "POST", "/units", "admin", load_driver.unit_body("kdc-tai-khi-mat-db")
        )
        read = system.api("review", "GET", "/cases?year=2026", "reviewer")
        wait_until(
            lambda: [a for a in load.answers_between(start, time.monotonic()) if a.status == 503],
            "the load to be refused with 503 while the database is down",
        )
    finally:
        private_pg.start()
    for r in (probe, read):
        assert r.status == 503, (r.status, r.json)
        assert r.json["status"] == "Service Unavailable"
        assert "cơ sở dữ liệu" in r.json["message"] and "thử lại" in r.json["message"]
    load.wait_for("submit", 50, "the load to be served again once the database is back")
    missing = system.api("registration", "GET", "/units/kdc-tai-khi-mat-db", "admin")
    assert missing.status == 404, "the refused command left nothing behind"


def test_commands_keep_succeeding_while_the_broker_is_stopped_for_30_s(system, load):
    before = load.done["submit"]
    start = time.monotonic()
    system.broker.stop()
    time.sleep(BROKER_HELD_S)  # hold the fault; what follows is checked by conditions
    answered = load.answers_between(start, time.monotonic())
    marks = unpublished_marks(system)
    # The embedded broker keeps its log in memory: it comes back on its port, empty.
    system.broker.start()
    commands = [a for a in answered if a.step in ("import", "register", "submit")]
    assert len(commands) >= 50, len(commands)
    assert {a.status for a in commands} <= {200, 201}, {a.status for a in commands}
    assert load.done["submit"] - before >= 20
    wait_until(lambda: drained(system, marks), "the relays to drain the backlog", 120)


def test_after_every_fault_each_projection_equals_what_the_event_stores_imply(system, load):
    began = time.monotonic()
    load.stop()
    print(f"load stopped at {load.started} cases, {time.monotonic() - began:.0f} s")
    assert load.started >= MIN_CASES
    assert not load.failures(), load.failures()[:5]
    assert load.done["submit"] == load.started
    tallies = load_check.assert_projections_match_event_stores(system)
    print(f"settled and checked: {tallies}, {time.monotonic() - began:.0f} s")
    assert tallies["cases"] >= MIN_CASES + 1, tallies
    assert sorted(alive(system)) == sorted(system.stack.processes), "a process died"
