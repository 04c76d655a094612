"""Two eras on the real broker and PostgreSQL: the 2024 directory under the old wards, the
reorganisations of 1/11/2024 and 1/7/2025 as events, a 2026 case decided by the authority in
force, the unit's lineage, each year's report in its own structure, and a rebuild equal to it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from shared.auth import mint_token
from shared.config import DEV_JWT_SECRET
from tests.e2e import flow
from tests.e2e.client import wait_until
from tests.e2e.conftest import E2E_CLOCK

pytestmark = pytest.mark.e2e
AREA = "kdc-vinh-hai-demo-1"  # a demo residential area filed under phường Vĩnh Hải in 2024
WARDS = {"phuong-nha-trang", "bac-nha-trang", "tay-nha-trang", "nam-nha-trang"}


def antt(system, *args) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": system.broker.bootstrap,
        "ANTT_CLOCK": E2E_CLOCK,
        **{f"ANTT_{s.upper()}_DATABASE_URL": url for s, url in system.urls.items()},
    }
    cmd = [sys.executable, "-m", "shared.cli", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def report(system, year):
    r = system.api("reporting", "GET", f"/reports/{year}", "auditor")
    assert r.status == 200, r.json
    return r.json


def all_in_reporting(system) -> bool:
    produced = sum(
        system.scalar(s, "SELECT count(*) FROM events")
        for s in ("registration", "review", "notification")
    )
    return system.scalar("reporting", "SELECT count(*) FROM event_log") == produced


@pytest.fixture(scope="module")
def played(system):
    loaded = antt(system, "demo-data")
    assert loaded.returncode == 0, loaded.stderr
    assert "khanh-hoa-2025-07-01" in loaded.stdout
    r = system.api("registration", "POST", f"/campaigns/{flow.YEAR}", "admin", {})
    assert r.status == 200, r.json
    flow.register_late(system, AREA)
    criteria = flow.criteria_of(system)
    flow.case_in_review(system, AREA, "registered")
    flow.submit_dossier(system, AREA, criteria)
    flow.recommend_and_decide(system, AREA, criteria, "26/QĐ-UBND")
    wait_until(lambda: flow.status_in_report(system, AREA) == "recognized", "the 2026 decision")
    wait_until(lambda: all_in_reporting(system), "reporting to hold every event")
    return system


def test_the_2026_decision_is_taken_by_the_ward_the_old_ward_became(played):
    ward = mint_token(DEV_JWT_SECRET, "reviewer", "reviewer-bnt", None, "bac-nha-trang")
    case = played.api("review", "GET", f"/cases/{AREA}/{flow.YEAR}", token=ward)
    assert case.status == 200, case.json
    assert case.json["decision"]["decision_number"] == "26/QĐ-UBND"
    authority = case.json["authority"]
    assert (authority["code"], authority["verified"], authority["note"]) == (
        "bac-nha-trang",
        True,
        None,
    )


def test_the_units_history_shows_its_lineage_to_a_ward_official_of_today(played):
    ward = mint_token(DEV_JWT_SECRET, "auditor", "auditor-bnt", None, "bac-nha-trang")
    r = played.api("reporting", "GET", f"/units/{AREA}/history", token=ward)
    assert r.status == 200, r.json
    assert [line["text"] for line in r.json["lineage"]] == [
        "trước 01/07/2025: Phường Vĩnh Hải",
        "từ 01/07/2025: Phường Bắc Nha Trang",
    ]
    ward_entry = played.api("reporting", "GET", "/units/bac-nha-trang/history", token=ward)
    assert ward_entry.status == 200, ward_entry.json
    assert "trước 01/07/2025: Phường Vĩnh Hải" in [
        x["text"] for x in ward_entry.json["formed_from"]
    ]
    reorganised = (
        "SELECT count(*) FROM event_log WHERE event_type = 'AdministrativeUnitsReorganized'"
    )
    assert played.scalar("reporting", reorganised) == 2


def test_the_2024_and_2026_reports_each_follow_the_structure_of_their_year(played):
    old = report(played, 2024)
    old_units = {u["unit_id"]: u["commune_code"] for u in old["units"]}
    assert old_units[AREA] == "vinh-hai"
    assert old_units["cq-phong-tai-chinh-demo"] == "van-thanh"  # Xương Huân merged 1/11/2024
    assert "xuong-huan" not in old["by_commune"] and not WARDS & set(old["by_commune"])
    assert {"vinh-hai", "van-thanh", "tan-tien"} <= set(old["by_commune"])
    new = report(played, flow.YEAR)
    new_units = {u["unit_id"]: u for u in new["units"]}
    assert new_units[AREA]["commune_code"] == "bac-nha-trang"
    assert new_units[AREA]["status"] == "recognized"
    assert set(new["by_commune"]) == WARDS
    assert set(new["cw4_by_commune"]) <= WARDS


def test_a_rebuild_from_the_broker_equals_the_live_tables(played):
    def matches():
        done = antt(played, "reporting", "rebuild", "--check")
        return done.returncode == 0

    wait_until(matches, "a rebuild equal to the live tables", timeout_s=120, every_s=1)
