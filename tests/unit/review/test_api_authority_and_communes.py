"""Over the API: who decides what (authority matrix), commune scopes, CW-4 and its guard."""

import json

import pytest

from services.review.entrypoints.api import create_app
from tests.conftest import settings_for
from tests.unit.review.desk import CW_IDS, RA_IDS, YEAR, Desk, findings
from tests.unit.review.feed import RegistrationFeed


@pytest.fixture
def desk(client, feed, token):
    return Desk(client, feed, token)


def test_a_residential_area_is_decided_by_its_commune_not_by_the_city(desk):
    desk.submitted("kdc-1")
    desk.recommend("kdc-1", RA_IDS)
    refused = desk.decide("kdc-1", desk.city, "1/QĐ-UBND")
    assert refused.status_code == 403 and "vinh-hai" in refused.get_json()["message"]
    assert desk.decide("kdc-1", desk.ward, "1/QĐ-UBND").status_code == 201
    authority = desk.case("kdc-1").get_json()["authority"]
    assert {k: authority[k] for k in ("level", "code", "name", "verified", "note")} == {
        "level": "commune",
        "code": "vinh-hai",
        "name": "Ủy ban nhân dân cấp xã",
        "verified": True,
        "note": None,
    }


def test_units_managed_by_the_city_and_communes_are_decided_by_the_city(desk):
    desk.submitted("dn-1", unit_type="enterprise", managing_level="district")
    desk.recommend("dn-1", ["AE-1", "AE-2", "AE-3"])
    assert desk.decide("dn-1", desk.ward, "5/QĐ-UBND").status_code == 403
    assert desk.decide("dn-1", desk.city, "5/QĐ-UBND").status_code == 201


def test_a_decision_number_is_unique_per_authority_and_year(desk, token):
    for unit_id in ("kdc-1", "kdc-2"):
        desk.submitted(unit_id)
        desk.recommend(unit_id, RA_IDS)
    desk.submitted("kdc-3", commune_code="vinh-hoa")
    desk.recommend("kdc-3", RA_IDS)
    assert desk.decide("kdc-1", desk.ward, "7/QĐ-UBND").status_code == 201
    again = desk.decide("kdc-2", desk.ward, " 7/QĐ-UBND ")
    assert again.status_code == 409 and "decision_number" in again.get_json()["errors"]
    other_ward = token("approver", "chairman-vhoa", jurisdiction="vinh-hoa")
    assert desk.decide("kdc-3", other_ward, "7/QĐ-UBND").status_code == 201


def test_commune_level_tokens_see_their_commune_only(desk, client, token):
    desk.submitted("kdc-1")
    desk.submitted("kdc-3", commune_code="vinh-hoa")
    ward_auditor = token("auditor", jurisdiction="vinh-hai")
    listed = client.get("/api/v1/cases", headers=ward_auditor).get_json()
    assert [c["unit_id"] for c in listed] == ["kdc-1"]
    assert desk.case("kdc-3", ward_auditor).status_code == 403
    ward_reviewer = token("reviewer", "officer-vh", jurisdiction="vinh-hai")
    back = {"reasons": ["Thiếu biên bản"], "due_date": "2025-11-28"}
    url = f"/api/v1/cases/kdc-3/{YEAR}/return"
    assert client.post(url, json=back, headers=ward_reviewer).status_code == 403
    nobody = token("auditor", jurisdiction="no-such-place")
    assert client.get("/api/v1/cases", headers=nobody).get_json() == []
    assert desk.case("kdc-1", nobody).status_code == 403


def test_the_queue_filters_by_unit_type(desk, client):
    desk.submitted("kdc-1")
    desk.submitted("dn-1", unit_type="enterprise", managing_level="district")
    listed = client.get("/api/v1/cases?unit_type=enterprise", headers=desk.reviewer).get_json()
    assert [c["unit_id"] for c in listed] == ["dn-1"]


def commune_with(desk, recognised, not_recognised, open_=(), unregistered=()):
    met = {cid: True for cid in CW_IDS}
    desk.submitted("vinh-hai", met, unit_type="commune", commune_code="vinh-hai")
    for unit_id in (*recognised, *not_recognised, *open_):
        desk.submitted(unit_id)
    for unit_id in unregistered:
        desk.feed.add_unit(unit_id)
    desk.feed.add_unit("thpt-city", unit_type="school", managing_level="district")  # not counted
    for n, unit_id in enumerate(recognised, start=1):
        desk.recommend(unit_id, RA_IDS)
        assert desk.decide(unit_id, desk.ward, f"{n}/QĐ-UBND").status_code == 201
    for n, unit_id in enumerate(not_recognised, start=100):
        desk.recommend(unit_id, RA_IDS, unmet={"RA-3"})
        answer = desk.decide(unit_id, desk.ward, f"{n}/QĐ-UBND", "not_recognized")
        assert answer.status_code == 201


def cw4(desk):
    case = desk.case("vinh-hai").get_json()
    [line] = [p for p in case["proposals"] if p["criterion_id"] == "CW-4"]
    return line["proposed"], case["commune_units"]


def test_cw4_counts_the_communes_own_units_seven_of_ten_recognised_is_met(desk):
    ids = [f"kdc-{i}" for i in range(10)]
    commune_with(desk, ids[:7], ids[7:])
    assert cw4(desk) == (
        True,
        {"total": 10, "registered": 10, "recognised": 7, "open_units": []},
    )


def test_cw4_six_of_ten_is_not_met_and_an_unregistered_unit_fails_the_100_percent(desk):
    ids = [f"kdc-{i}" for i in range(10)]
    commune_with(desk, ids[:6], ids[6:9], unregistered=ids[9:])
    proposed, counts = cw4(desk)
    assert proposed is False and (counts["registered"], counts["recognised"]) == (9, 6)


def test_a_commune_is_decided_only_when_every_unit_it_counts_is_final(desk):
    commune_with(desk, ["kdc-1", "kdc-2"], [], open_=["kdc-3"])
    desk.recommend("vinh-hai", CW_IDS, unmet={"CW-4"})
    refused = desk.decide("vinh-hai", desk.city, "30/QĐ-UBND", "not_recognized")
    body = refused.get_json()
    assert refused.status_code == 409 and body["errors"] == {"open_units": ["kdc-3"]}
    assert "kdc-3" in body["message"]
    desk.recommend("kdc-3", RA_IDS)
    assert desk.decide("kdc-3", desk.ward, "3/QĐ-UBND").status_code == 201
    decided = desk.decide("vinh-hai", desk.city, "30/QĐ-UBND", "not_recognized")
    assert decided.status_code == 201, decided.get_json()


def test_an_annulled_recognition_no_longer_counts_for_cw4(desk, client, token):
    commune_with(desk, ["kdc-1", "kdc-2", "kdc-3"], [])
    assert cw4(desk)[0] is True
    url = f"/api/v1/cases/kdc-3/{YEAR}/annulment"
    answer = client.post(url, json={"reason": "Số liệu hộ gia đình sai"}, headers=desk.city)
    assert answer.status_code == 403
    # Annulled on 20/11/2025 by the committee in force then: Vĩnh Hải's successor ward.
    answer = client.post(url, json={"reason": "Số liệu hộ gia đình sai"}, headers=desk.ward)
    assert answer.status_code == 403 and "bac-nha-trang" in answer.get_json()["message"]
    successor = token("approver", "chairman-bnt", jurisdiction="bac-nha-trang")
    answer = client.post(url, json={"reason": "Số liệu hộ gia đình sai"}, headers=successor)
    assert answer.status_code == 201
    assert cw4(desk) == (False, {"total": 3, "registered": 3, "recognised": 2, "open_units": []})


def test_only_incidents_inside_the_units_evaluation_period_count(desk, client, feed):
    feed.campaign(YEAR)
    desk.submitted("kdc-1")

    def record(on):
        body = {"unit_id": "kdc-1", "occurred_on": on, "criterion_id": "RA-3e", "description": "x"}
        answer = client.post("/api/v1/incidents", json=body, headers=desk.reviewer)
        assert answer.status_code == 201, answer.get_json()

    record("2024-10-31")  # the day before the residential areas' 2025 period opens
    case = desk.case("kdc-1").get_json()
    assert case["evaluation_period"] == {"start": "2024-11-01", "end": "2025-10-31"}
    assert [i["counts"] for i in case["incidents"]] == [False]
    ra3 = next(p for p in case["proposals"] if p["criterion_id"] == "RA-3")
    assert ra3["proposed"] is None  # no self-assessment line, no incident in the period
    record("2024-11-01")
    case = desk.case("kdc-1").get_json()
    ra3 = next(p for p in case["proposals"] if p["criterion_id"] == "RA-3")
    assert ra3["proposed"] is False and "RA-3e ngày 2024-11-01" in ra3["checks"][1]["detail"]


def test_the_recommendation_records_the_proposed_and_final_values_and_the_version(desk):
    desk.feed.add_unit("kdc-1")
    desk.feed.register(
        "kdc-1",
        YEAR,
        figures={"households_resident": 50, "households_registered": 50},
        documents=("party_resolution", "registration_form"),
    )
    desk.feed.submit("kdc-1", YEAR, met={cid: True for cid in RA_IDS})
    desk.recommend("kdc-1", RA_IDS, unmet={"RA-2"})
    rec = desk.case("kdc-1").get_json()["recommendation"]
    lines = {f["criterion_id"]: (f["proposed"], f["met"]) for f in rec["findings"]}
    assert lines == {
        "RA-1": (True, True),
        "RA-2": (True, False),
        "RA-3": (True, True),
        "RA-4": (True, True),
        "RA-5": (True, True),
    }
    assert rec["catalogue_version"] == "tt124-2021-v1"


EXTENSION = {
    "province": "khanh-hoa",
    "version": "khanh-hoa-test-1",
    "effective_from": "2025-01-01",
    "criteria": [
        {
            "criterion_id": "KH-1",
            "unit_types": ["residential_area"],
            "kind": "fact",
            "verified": True,
            "title": "Tiêu chí bổ sung của tỉnh (dữ liệu thử)",
        }
    ],
}


def test_a_provincial_extension_is_served_required_and_versioned(
    tmp_path, sqlite_url, clock, token
):
    folder = tmp_path / "extensions"
    folder.mkdir()
    (folder / "khanh-hoa.1.json").write_text(json.dumps(EXTENSION), "utf-8")
    app = create_app(settings_for("review", sqlite_url), clock, extensions_dir=folder)
    client, rt = app.test_client(), app.config["ANTT_RUNTIME"]
    desk = Desk(client, RegistrationFeed(tmp_path, rt), token)
    listed = client.get(
        "/api/v1/criteria?unit_type=residential_area&year=2025", headers=desk.reviewer
    )
    body = listed.get_json()
    assert body["catalogue_version"] == "tt124-2021-v1+khanh-hoa-test-1"
    assert [c["criterion_id"] for c in body["criteria"]][-1] == "KH-1"
    assert body["criteria"][-1]["source"] == "province"
    elsewhere = client.get(
        "/api/v1/criteria?unit_type=residential_area&province=ha-noi", headers=desk.reviewer
    )
    assert elsewhere.get_json()["catalogue_version"] == "tt124-2021-v1"
    desk.submitted("kdc-1")
    without = {"recommendation": "achieved", "findings": findings(RA_IDS), "expected_version": 2}
    url = f"/api/v1/cases/kdc-1/{YEAR}/recommendation"
    missing = client.post(url, json=without, headers=desk.reviewer)
    assert missing.status_code == 422 and "KH-1" in missing.get_json()["errors"]
    desk.recommend("kdc-1", [*RA_IDS, "KH-1"])
    rec = desk.case("kdc-1").get_json()["recommendation"]
    assert rec["catalogue_version"] == "tt124-2021-v1+khanh-hoa-test-1"


def test_criteria_for_a_year_before_circular_124_are_not_found(client, token):
    answer = client.get("/api/v1/criteria?year=2021", headers=token("reviewer"))
    assert answer.status_code == 404 and answer.get_json()["code"] == 404


def test_an_incident_in_one_of_its_residential_areas_counts_against_the_communes_cw2(desk, client):
    met = {cid: True for cid in CW_IDS}
    desk.submitted("vinh-hai", met, unit_type="commune", commune_code="vinh-hai")
    desk.feed.add_unit("kdc-1")
    desk.feed.add_unit("kdc-9", commune_code="vinh-hoa")

    def record(unit_id, on):
        body = {"unit_id": unit_id, "occurred_on": on, "criterion_id": "RA-3b", "description": "x"}
        assert client.post("/api/v1/incidents", json=body, headers=desk.reviewer).status_code == 201

    def cw2():
        case = desk.case("vinh-hai").get_json()
        return next(p for p in case["proposals"] if p["criterion_id"] == "CW-2")["proposed"]

    record("kdc-9", "2025-03-01")  # another commune
    record("kdc-1", "2024-11-10")  # before the commune's period (16/11/2024 – 15/11/2025)
    assert cw2() is True
    record("kdc-1", "2025-03-01")
    assert cw2() is False
