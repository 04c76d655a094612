"""Admin → unit → reviewer → approver → report, through four services and the real broker."""

import pytest

from shared.auth import mint_token
from shared.config import DEV_JWT_SECRET
from tests.e2e import flow
from tests.e2e.client import wait_until

pytestmark = pytest.mark.e2e
CORE = ["UnitRegistered", "DossierSubmitted", "RecommendationMade", "RecognitionDecided"]


def test_a_unit_goes_from_registration_to_recognition_and_every_service_sees_it(system):
    flow.setup_campaign_and_commune(system)
    flow.run_whole_flow(system, "kdc-skeleton", "101/QĐ-UBND")

    history = system.api("reporting", "GET", "/units/kdc-skeleton/history?year=2026", "auditor")
    assert history.status == 200, history.json
    types = [e["event_type"] for e in history.json["events"]]
    assert [t for t in types if t in CORE] == CORE

    def four_notifications():
        r = system.api(
            "notification", "GET", "/notifications?unit_id=kdc-skeleton&year=2026", "auditor"
        )
        return r.json if r.status == 200 and len(r.json) >= 4 else None

    notes = wait_until(four_notifications, "one notification per step")
    assert sorted(n["template"] for n in notes) == sorted(
        ["registration_received", "dossier_received", "recommendation_made", "recognition_decided"]
    )
    verify = system.api("reporting", "GET", "/audit/verify?year=2026", "auditor")
    assert verify.json["ok"] is True, verify.json


def test_the_unit_user_sees_its_own_case_but_not_another_units(system):
    own = system.api(
        "review", "GET", "/cases/kdc-skeleton/2026", token=system.unit_token("kdc-skeleton")
    )
    other = system.api(
        "review", "GET", "/cases/kdc-skeleton/2026", token=system.unit_token("kdc-other")
    )
    assert (own.status, other.status) == (200, 403)


def test_four_eyes_the_reviewer_who_recommended_cannot_decide(system):
    flow.add_unit(system, "kdc-four-eyes")
    flow.register_late(system, "kdc-four-eyes")
    criteria = flow.criteria_of(system)
    flow.case_in_review(system, "kdc-four-eyes", "registered")
    flow.submit_dossier(system, "kdc-four-eyes", criteria)
    case = flow.case_in_review(system, "kdc-four-eyes", "dossier_submitted")
    # An approver token carrying the reviewer's own sub: the same person in another role.
    same_person = mint_token(DEV_JWT_SECRET, "approver", "reviewer-e2e", None, "nha-trang")
    r = system.api(
        "review",
        "POST",
        "/cases/kdc-four-eyes/2026/recommendation",
        "reviewer",
        {
            "recommendation": "achieved",
            "expected_version": case["version"],
            "findings": [{"criterion_id": c, "met": True, "note": ""} for c in criteria],
        },
    )
    assert r.status == 201, r.json
    r = system.api(
        "review",
        "POST",
        "/cases/kdc-four-eyes/2026/decision",
        token=same_person,
        body={
            "decision": "recognized",
            "decision_number": "9/QĐ",
            "decided_on": "2026-11-20",
            "note": "",
        },
    )
    assert r.status == 403, r.json
