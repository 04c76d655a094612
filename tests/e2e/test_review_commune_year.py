"""A commune's year end to end: 25 units of mixed types, CW-4 on exact counts, the decision guard,
and every review event on antt.review — real processes, PostgreSQL and the broker."""

import pytest
import sqlalchemy as sa

from shared.auth import mint_token
from shared.config import DEV_JWT_SECRET
from shared.envelope import Envelope
from shared.events import REGISTRY
from tests.e2e import flow
from tests.e2e.client import wait_until
from tests.integration.review_broker import read_topic

pytestmark = pytest.mark.e2e
COMMUNE, YEAR = "bac-nha-trang", flow.YEAR
UNITS = [
    *[(f"kdc-{n:02d}", "residential_area") for n in range(16)],
    *[(f"cq-{n}", "agency") for n in range(3)],
    *[(f"dn-{n}", "enterprise") for n in range(3)],
    *[(f"thcs-{n}", "school") for n in range(3)],
]
RECOGNISED, NOT_RECOGNISED, LAST = UNITS[:18], UNITS[18:24], UNITS[24]
MUST_NOT_HAPPEN = {
    "residential_area": "RA-3",
    "agency": "AE-3",
    "enterprise": "AE-3",
    "school": "ED-3",
}


def approver(system, jurisdiction, sub):
    return mint_token(DEV_JWT_SECRET, "approver", sub, None, jurisdiction)


def case(system, unit_id, token=None):
    return system.api(
        "review", "GET", f"/cases/{unit_id}/{YEAR}", "reviewer" if not token else None, token=token
    )


def recommend(system, unit_id, criteria, unmet=()):
    version = flow.case_in_review(system, unit_id, "dossier_submitted")["version"]
    body = {
        "recommendation": "not_achieved" if unmet else "achieved",
        "expected_version": version,
        "findings": [
            {"criterion_id": c, "met": c not in unmet, "note": "Thẩm định"} for c in criteria
        ],
    }
    r = system.api("review", "POST", f"/cases/{unit_id}/{YEAR}/recommendation", "reviewer", body)
    assert r.status == 201, r.json


def decide(system, unit_id, token, number, decision="recognized"):
    body = {"decision": decision, "decision_number": number, "decided_on": "2026-11-20", "note": ""}
    return system.api("review", "POST", f"/cases/{unit_id}/{YEAR}/decision", token=token, body=body)


def cw4(system):
    r = case(system, COMMUNE)
    assert r.status == 200, r.json
    [line] = [p for p in r.json["proposals"] if p["criterion_id"] == "CW-4"]
    return line["proposed"], r.json["commune_units"]


def test_a_commune_with_25_units_is_proposed_on_exact_counts_and_waits_for_its_units(system):
    flow.setup_campaign_and_commune(system, COMMUNE)
    for unit_id, unit_type in UNITS:
        flow.add_unit_of(system, unit_id, unit_type, COMMUNE)
        flow.register_late_as(system, unit_id, unit_type)
    flow.add_unit_of(
        system, "thpt-tinh", "school", COMMUNE, "province"
    )  # the province's: not counted
    flow.register_late_as(system, COMMUNE, "commune")
    criteria = {
        t: flow.criteria_of(system, t) for t in ("residential_area", "commune", "agency", "school")
    }
    criteria["enterprise"] = criteria["agency"]
    for unit_id, unit_type in [*UNITS, (COMMUNE, "commune")]:
        flow.submit_dossier(system, unit_id, criteria[unit_type])

    ward = approver(system, COMMUNE, "chairman-bac-nha-trang")
    # Since 1/7/2025 a ward is recognised by the province (configuration, flagged unverified).
    city = approver(system, "khanh-hoa", "chairman-khanh-hoa")
    for n, (unit_id, unit_type) in enumerate(RECOGNISED, start=1):
        recommend(system, unit_id, criteria[unit_type])
        if n == 1:
            # Units of a ward are recognised by the ward, never by the province, and never by
            # the person who recommended; a number is used once per authority and year.
            assert decide(system, unit_id, city, "1/QĐ-UBND").status == 403
            same_person = approver(system, COMMUNE, "reviewer-e2e")
            assert decide(system, unit_id, same_person, "1/QĐ-UBND").status == 403
        r = decide(system, unit_id, ward, f"{n}/QĐ-UBND")
        assert r.status == 201, r.json
    assert decide(system, NOT_RECOGNISED[0][0], ward, "1/QĐ-UBND").status == 409  # not recommended
    for n, (unit_id, unit_type) in enumerate(NOT_RECOGNISED, start=100):
        recommend(system, unit_id, criteria[unit_type], unmet={MUST_NOT_HAPPEN[unit_type]})
        if n == 100:
            taken = decide(system, unit_id, ward, "1/QĐ-UBND", "not_recognized")
            assert taken.status == 409 and "decision_number" in taken.json["errors"]
        r = decide(system, unit_id, ward, f"{n}/QĐ-UBND", "not_recognized")
        assert r.status == 201, r.json
    last_id, last_type = LAST
    recommend(system, last_id, criteria[last_type], unmet={MUST_NOT_HAPPEN[last_type]})

    # 18 of 25 recognised, one still open: CW-4 is proposed met, but the commune must wait.
    proposed, counts = cw4(system)
    assert proposed is True, counts
    assert counts == {"total": 25, "registered": 25, "recognised": 18, "open_units": [last_id]}
    recommend(system, COMMUNE, criteria["commune"])
    waiting = decide(system, COMMUNE, city, "50/QĐ-UBND")
    assert waiting.status == 409 and waiting.json["errors"] == {"open_units": [last_id]}
    assert last_id in waiting.json["message"]
    assert decide(system, COMMUNE, ward, "50/QĐ-UBND").status == 403  # wards: the province

    r = decide(system, last_id, ward, "200/QĐ-UBND", "not_recognized")
    assert r.status == 201, r.json
    assert cw4(system) == (
        True,
        {"total": 25, "registered": 25, "recognised": 18, "open_units": []},
    )

    # One recognition annulled (with its reason): 17 of 25 — CW-4 is proposed not met.
    annul = {"reason": "Phát hiện số liệu hộ gia đình không trung thực"}
    annulled_id = RECOGNISED[0][0]
    r = system.api(
        "review", "POST", f"/cases/{annulled_id}/{YEAR}/annulment", token=ward, body=annul
    )
    assert r.status == 201 and r.json["status"] == "annulled", r.json
    proposed, counts = cw4(system)
    assert (proposed, counts["recognised"], counts["open_units"]) == (False, 17, [])

    r = decide(system, COMMUNE, city, "50/QĐ-UBND", "not_recognized")
    assert r.status == 201, r.json
    assert r.json["decision"]["decision_number"] == "50/QĐ-UBND"


def test_scopes_hold_for_commune_level_and_outside_officials(system):
    ward_auditor = mint_token(DEV_JWT_SECRET, "auditor", "auditor-vh", None, COMMUNE)
    listed = system.api("review", "GET", f"/cases?year={YEAR}", token=ward_auditor)
    assert listed.status == 200
    assert {c["unit"]["commune_code"] for c in listed.json} == {COMMUNE}
    assert len(listed.json) == 26  # its 25 units and the commune itself
    outsider = mint_token(DEV_JWT_SECRET, "reviewer", "reviewer-cr", None, "cam-ranh")
    assert case(system, "kdc-01", outsider).status == 403
    assert system.api("review", "GET", f"/cases?year={YEAR}", token=outsider).json == []
    schools = system.api("review", "GET", f"/cases?year={YEAR}&unit_type=school", "auditor")
    assert sorted(c["unit_id"] for c in schools.json) == ["thcs-0", "thcs-1", "thcs-2"]


def test_every_review_event_lands_on_antt_review_keyed_by_unit_and_valid(system):
    with system.engines["review"].connect() as conn:
        rows = conn.execute(
            # Not joined with the outbox: the relay prunes published rows.
            sa.text("SELECT e.event_id, e.unit_id FROM events e")
        ).all()
    assert len(rows) >= 26 + 25 + 2  # recommendations, decisions, annulment, commune decision
    records = read_topic(system.broker, "antt.review", {r.event_id for r in rows})
    by_id = {r.event_id: r for r in rows}
    for event_id, record in records.items():
        env = Envelope.from_bytes(record.value)
        assert env.hash_ok and record.key == env.unit_id == by_id[event_id].unit_id
        REGISTRY.decode(env.event_type, env.event_version, env.payload)
    kinds = {Envelope.from_bytes(r.value).event_type for r in records.values()}
    assert kinds == {"RecommendationMade", "RecognitionDecided", "RecognitionAnnulled"}

    def reported():
        r = system.api(
            "reporting", "GET", f"/units/{RECOGNISED[1][0]}/history?year={YEAR}", "auditor"
        )
        types = [e["event_type"] for e in r.json["events"]] if r.status == 200 else []
        return "RecognitionDecided" in types

    wait_until(reported, "reporting to receive review's decisions")
