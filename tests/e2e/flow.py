"""The skeleton's steps over HTTP, shared by the e2e tests."""

from __future__ import annotations

from tests.e2e.client import wait_until
from tests.e2e.registration_http import upload_ok
from tests.unit.registration.files import pdf

YEAR = 2026
# What registration requires (services/registration/rules/requirements.v1.json): a residential
# area with a Party cell brings its Party resolution and registration form; a dossier brings
# the proposal, the results report and the meeting minutes.
RA_REGISTRATION_KINDS = ("party_resolution", "registration_form")
DOSSIER_KINDS = ("proposal", "results_report", "meeting_minutes")


def documents(system, token, unit_id, kinds):
    """Upload one small PDF per kind (as the caller) and cite them by hash."""
    return [
        {"kind": k, "sha256": upload_ok(system, token, f"{k}.pdf", pdf(f"{unit_id} {k}"))}
        for k in kinds
    ]


def setup_campaign_and_commune(system, commune="bac-nha-trang"):
    r = system.api("registration", "POST", f"/campaigns/{YEAR}", "admin", {})
    assert r.status == 200, r.json
    r = system.api(
        "registration",
        "POST",
        "/units",
        "admin",
        {
            "unit_id": commune,
            "name": f"Phường {commune}",
            "unit_type": "commune",
            "commune_code": commune,
            "managing_level": "province",  # no district since 1/7/2025
            "has_party_organization": True,
            "contact_email": f"{commune}@example.vn",
        },
    )
    assert r.status in (201, 409, 422), r.json


def add_unit(system, unit_id, commune="bac-nha-trang"):
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
            "documents": documents(system, system.tokens["admin"], unit_id, RA_REGISTRATION_KINDS),
            "figures": {"households_resident": 40, "households_registered": 40},
        },
    )
    assert r.status == 201, r.json


def submit_dossier(system, unit_id, criteria):
    token = system.unit_token(unit_id)
    r = system.api(
        "registration",
        "POST",
        "/dossiers",
        token=token,
        body={
            "unit_id": unit_id,
            "year": YEAR,
            "documents": documents(system, token, unit_id, DOSSIER_KINDS),
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
        body={
            "decision": "recognized",
            "decision_number": number,
            "decided_on": "2026-11-20",
            "note": "Công nhận đạt chuẩn",
        },
        token=authority_token(system, unit_id),
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


# Added for the review e2e tests: units of every type, registered with what their type needs.
TYPE_FIELDS = {
    "agency": {"armed_forces": False},
    "enterprise": {"enterprise_size": "medium"},
    "school": {"school_level": "lower_secondary"},
}
TYPE_FIGURES = {
    "residential_area": {"households_resident": 40, "households_registered": 40},
    "commune": {"movement_models": 2},
    "agency": {"staff_total": 30, "staff_briefed": 30, "movement_models": 1},
    "enterprise": {"staff_total": 120, "staff_briefed": 120, "movement_models": 1},
    "school": {"staff_total": 60, "staff_briefed": 60, "movement_models": 1},
}


def add_unit_of(system, unit_id, unit_type, commune="bac-nha-trang", managing_level="commune"):
    """A unit of any type in the directory, with eligible values for its type-specific fields."""
    r = system.api(
        "registration",
        "POST",
        "/units",
        "admin",
        {
            "unit_id": unit_id,
            "name": f"Đơn vị {unit_id} (dữ liệu thử)",
            "unit_type": unit_type,
            "commune_code": commune,
            "managing_level": managing_level,
            "has_party_organization": True,
            "contact_email": f"{unit_id}@example.vn",
            **TYPE_FIELDS.get(unit_type, {}),
        },
    )
    assert r.status == 201, r.json


def register_late_as(system, unit_id, unit_type):
    """register_late for a unit of any type: the documents and figures its type requires."""
    kinds = ["party_resolution", "registration_form"]
    if unit_type != "residential_area":
        kinds.append("security_plan")
    r = system.api(
        "registration",
        "POST",
        "/registrations",
        "admin",
        {
            "unit_id": unit_id,
            "year": YEAR,
            "late_reason": "Ngoại lệ ghi nhận trong diễn tập",
            "documents": documents(system, system.tokens["admin"], unit_id, kinds),
            "figures": TYPE_FIGURES[unit_type],
        },
    )
    assert r.status == 201, r.json


def authority_token(system, unit_id, sub="approver-e2e"):
    """An approver of the People's Committee that recognises the unit, as review names it
    (a residential area: its ward, `jurisdiction` = the ward's code; a ward: the province)."""
    from shared.auth import mint_token
    from shared.config import DEV_JWT_SECRET

    r = system.api("review", "GET", f"/cases/{unit_id}/{YEAR}", "reviewer")
    assert r.status == 200, r.json
    return mint_token(DEV_JWT_SECRET, "approver", sub, None, r.json["authority"]["code"])
