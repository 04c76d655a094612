"""Backup and restore, proven on PostgreSQL: registration's store is dumped (pg_dump), more work
is done, the dump is restored (pg_restore) over the database, and `antt recover --service
registration` brings it level with the log: every event is back once with its hash chain,
every projection equals what the event stores imply, nothing is lost or doubled, and the work
goes on from there."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from shared.stack import WORKERS
from tests.e2e import flow
from tests.e2e.client import wait_until
from tests.e2e.load_check import (
    PRODUCERS,
    assert_each_consumer_read_each_event_once,
    assert_event_log_holds_every_event_once,
    assert_nothing_half_written,
    assert_notifications,
    assert_projections_match_event_stores,
    events_of,
    rows,
    settle,
)

pytestmark = pytest.mark.e2e
BEFORE, AFTER = "kdc-backup-1", "kdc-backup-2"
REGISTRATION = ("registration-api", *(f"registration-{k}" for k in WORKERS["registration"]))


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def stored_events(system) -> list[tuple]:
    return [
        tuple(r)
        for r in rows(
            system,
            "registration",
            "SELECT event_id, stream_id, stream_version, hash, envelope FROM events"
            " ORDER BY stream_id, stream_version",
        )
    ]


def return_dossier(system, unit_id: str) -> None:
    flow.case_in_review(system, unit_id, "dossier_submitted")
    r = system.api(
        "review",
        "POST",
        f"/cases/{unit_id}/{flow.YEAR}/return",
        "reviewer",
        {"reasons": ["Thiếu chữ ký trên biên bản"], "due_date": "2026-12-05"},
    )
    assert r.status in (200, 201), r.json


def returned_revisions(system, unit_id: str) -> list[int]:
    token = system.unit_token(unit_id)
    r = system.api("registration", "GET", f"/dossiers/{unit_id}/{flow.YEAR}", token=token)
    return r.json.get("returned_revisions") if r.status == 200 else None


def recover(system) -> dict:
    env = system.stack._env("registration")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("antt")), "recover", "--service", "registration"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_level(system) -> None:
    """load_check's comparisons, but for the cases' statuses (it knows no returns): every
    store, inbox, report log and notification as the event stores imply, nothing parked."""
    settle(system)
    stores = {s: events_of(system, s) for s in PRODUCERS}
    for service, events in stores.items():
        assert_nothing_half_written(system, service, events)
    assert_each_consumer_read_each_event_once(system, stores)
    assert_event_log_holds_every_event_once(system, stores)
    assert_notifications(system, stores)


def test_a_store_restored_from_an_older_dump_is_brought_level_by_antt_recover(system, tmp_path):
    flow.setup_campaign_and_commune(system)
    flow.add_unit(system, BEFORE)
    flow.register_late(system, BEFORE)
    criteria = flow.criteria_of(system)
    settle(system)
    dump = tmp_path / "registration.dump"
    url = libpq(system.urls["registration"])
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), url], check=True, timeout=120)

    # After the backup: a new unit, a dossier, and review's return of it (which registration
    # consumes).
    flow.add_unit(system, AFTER)
    flow.register_late(system, AFTER)
    flow.submit_dossier(system, BEFORE, criteria)
    return_dossier(system, BEFORE)
    wait_until(lambda: returned_revisions(system, BEFORE) == [1], "registration hears the return")
    settle(system)
    level = stored_events(system)

    # The database is lost and restored from the dump, the service stopped meanwhile.
    for name in REGISTRATION:
        system.stack.kill(name, signal.SIGTERM)
    system.engines["registration"].dispose()
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", url, str(dump)],
        check=True,
        timeout=120,
    )
    restored = len(stored_events(system))
    assert restored < len(level), "the dump is older than the log"

    done = recover(system)
    assert done["events_put_back"] == len(level) - restored
    assert stored_events(system) == level, "every event back, once, exactly as sealed"
    again = recover(system)
    assert again["events_put_back"] == 0 and stored_events(system) == level

    for name in REGISTRATION:
        system.stack.start_process(name)
    system.stack.wait_healthy(120)
    assert returned_revisions(system, BEFORE) == [1], "the consumed return is back"
    r = system.api("registration", "GET", f"/units/{AFTER}", "admin")
    assert r.status == 200, r.json
    assert_level(system)

    # The work goes on from the recovered store: revision 2 reaches review and reporting.
    second = flow.submit_dossier(system, BEFORE, criteria)
    assert second["revision"] == 2
    flow.case_in_review(system, BEFORE, "dossier_submitted")
    tallies = assert_projections_match_event_stores(system)
    assert tallies["registration"] == len(level) + 1
