"""The skeleton's steps over HTTP, shared by the e2e tests."""

from __future__ import annotations

from tests.e2e.client import wait_until

YEAR = 2026


def setup_campaign_and_commune(system, commune="vinh-hai"):
    r = system.api("registration", "POST", f"/campaigns/{YEAR}", "admin", {})
    assert r.status == 200, r.json
    r = system.api(
        "registration",
        "POST",
        "/units",
        "admin",
        {
            "unit_id": commune,
            "name": "Phường Vĩnh Hải",
            "unit_type": "commune",
            "commune_code": commune,
            "managing_level": "district",
            "has_party_organization": True,
            "contact_email": f"{commune}@example.vn",
        },
    )
    assert r.status in (201, 422), r.json


def add_unit(system, unit_id, commune="vinh-hai"):
    r = system.api(
        "registration",
        "POST",
        "/units",
        "admin",
        {
            "unit_id": unit_id,
            "name": f"Khu dân cư {unit_id}",
            "unit_type": "residential_area",
            "commune_code": commune,
            "managing_level": "commune",
            "has_party_organization": True,
            "contact_email": f"{unit_id}@example.vn",
        },
    )
    assert r.status == 201, r.json


def register_late(system, unit_id):
    r = system.api(
        "registration",
        "POST",
        "/registrations",
        "admin",
        {
            "unit_id": unit_id,
            "year": YEAR,
            "late_reason": "Ngoại lệ ghi nhận trong diễn tập",
            "figures": {"households_resident": 40, "households_registered": 40},
        },
    )
    assert r.status == 201, r.json


def submit_dossier(system, unit_id, criteria):
    r = system.api(
        "registration",
        "POST",
        "/dossiers",
        token=system.unit_token(unit_id),
        body={
            "unit_id": unit_id,
            "year": YEAR,
            "self_assessment": [{"criterion_id": c, "met": True, "note": "Đạt"} for c in criteria],
        },
    )
    assert r.status == 201, r.json
    return r.json


def criteria_of(system, unit_type="residential_area"):
    r = system.api("review", "GET", f"/criteria?unit_type={unit_type}&year={YEAR}", "reviewer")
    assert r.status == 200, r.json
    return [c["criterion_id"] for c in r.json["criteria"]]


def case_in_review(system, unit_id, status):
    def ready():
        r = system.api("review", "GET", f"/cases/{unit_id}/{YEAR}", "reviewer")
        return r.json if r.status == 200 and r.json["status"] == status else None

    return wait_until(ready, f"review to show {unit_id} as {status}")


def recommend_and_decide(system, unit_id, criteria, number):
    case = case_in_review(system, unit_id, "dossier_submitted")
    r = system.api(
        "review",
        "POST",
        f"/cases/{unit_id}/{YEAR}/recommendation",
        "reviewer",
        {
            "recommendation": "achieved",
            "expected_version": case["version"],
            "findings": [{"criterion_id": c, "met": True, "note": "Đạt"} for c in criteria],
        },
    )
    assert r.status == 201, r.json
    r = system.api(
        "review",
        "POST",
        f"/cases/{unit_id}/{YEAR}/decision",
        "approver",
        {
            "decision": "recognized",
            "decision_number": number,
            "decided_on": "2026-11-20",
            "note": "Công nhận đạt chuẩn",
        },
    )
    assert r.status == 201, r.json


def status_in_report(system, unit_id):
    r = system.api("reporting", "GET", f"/reports/{YEAR}", "auditor")
    assert r.status == 200, r.json
    return {u["unit_id"]: u["status"] for u in r.json["units"]}.get(unit_id)


def run_whole_flow(system, unit_id, number):
    add_unit(system, unit_id)
    register_late(system, unit_id)
    criteria = criteria_of(system)
    case_in_review(system, unit_id, "registered")
    submit_dossier(system, unit_id, criteria)
    recommend_and_decide(system, unit_id, criteria, number)
    wait_until(
        lambda: status_in_report(system, unit_id) == "recognized",
        f"{unit_id} recognised in the report",
    )
