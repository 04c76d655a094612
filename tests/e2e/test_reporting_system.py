"""Reporting over the whole system: real producers' events, history, exports, rebuild, audit."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from tests.e2e import flow
from tests.e2e.client import wait_until

pytestmark = pytest.mark.e2e
YEAR = flow.YEAR


def antt_reporting(system, *args) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": system.broker.bootstrap,
        "ANTT_REPORTING_DATABASE_URL": system.urls["reporting"],
    }
    cmd = [sys.executable, "-m", "shared.cli", "reporting", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def all_events_in_reporting(system) -> bool:
    produced = sum(
        system.scalar(s, "SELECT count(*) FROM events")
        for s in ("registration", "review", "notification")
    )
    return system.scalar("reporting", "SELECT count(*) FROM event_log") == produced


@pytest.fixture(scope="module")
def year_played(system):
    flow.setup_campaign_and_commune(system)
    flow.run_whole_flow(system, "kdc-rep-1", "301/QĐ-UBND")
    flow.add_unit(system, "kdc-rep-2")  # never registers
    wait_until(lambda: all_events_in_reporting(system), "reporting to hold every event")
    return system


def test_the_report_shows_the_real_flow_with_reasons_and_cw4(year_played):
    report = year_played.api("reporting", "GET", f"/reports/{YEAR}", "auditor").json
    units = {u["unit_id"]: u for u in report["units"]}
    assert units["kdc-rep-1"]["status"] == "recognized"
    assert units["kdc-rep-2"]["not_recognized_reason"] == "never_registered"
    assert report["cw4_by_commune"]["bac-nha-trang"]["registered_ratio"] == "1/2"
    assert report["cw4_by_commune"]["bac-nha-trang"]["meets"] is False
    [decision] = [d for d in report["decisions"] if d["unit_id"] == "kdc-rep-1"]
    assert decision["decision_number"] == "301/QĐ-UBND"
    assert report["manifest"]["catalogue_versions"]
    late = year_played.scalar(
        "reporting", "SELECT late_registration FROM unit_years WHERE unit_id = 'kdc-rep-1'"
    )
    assert late is True


def test_history_names_every_step_with_actor_and_the_documents_by_hash(year_played):
    body = year_played.api(
        "reporting", "GET", f"/units/kdc-rep-1/history?year={YEAR}", "auditor"
    ).json
    types = [e["event_type"] for e in body["events"]]
    for step in ("UnitAdded", "UnitRegistered", "DossierSubmitted", "RecognitionDecided"):
        assert step in types
    assert all(e["actor"]["sub"] and e["occurred_at"] for e in body["events"])
    kinds = {d["kind"] for d in body["documents"]}
    assert kinds >= set(flow.RA_REGISTRATION_KINDS) | set(flow.DOSSIER_KINDS)
    assert all(len(d["sha256"]) == 64 for d in body["documents"])


def test_the_workbook_export_opens(year_played):
    resp = year_played.api("reporting", "GET", f"/reports/{YEAR}?format=xlsx", "auditor")
    assert resp.status == 200
    wb = load_workbook(io.BytesIO(resp.body))
    assert wb.sheetnames[0] == "Tổng hợp"


def test_a_rebuild_from_the_broker_matches_the_live_tables_and_the_log_verifies(year_played):
    def rebuild_matches():
        done = antt_reporting(year_played, "rebuild", "--check")
        assert done.returncode == 0, done.stderr[-2000:]
        line = next(x for x in done.stdout.splitlines() if x.startswith("rows differing"))
        differences = json.loads(line.split(": ", 1)[1])
        return set(differences.values()) == {0} or None

    # Reminders may add events meanwhile: a check is retried until it saw a quiet moment.
    wait_until(rebuild_matches, "a rebuild equal to the live tables", timeout_s=120, every_s=1)
    verified = antt_reporting(year_played, "verify")
    assert verified.returncode == 0, verified.stdout[-2000:]
    assert verified.stdout.strip().endswith("verified: OK")
