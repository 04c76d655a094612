"""The review API's reads, scopes and input checks: criteria, the queue, incidents, errors."""

import sqlalchemy as sa

from shared.persistence.tables import events, outbox

URL = "/api/v1/cases/kdc-1/2025"


def test_criteria_are_listed_per_unit_type_with_the_catalogue_version(client, token):
    answer = client.get(
        "/api/v1/criteria?unit_type=enterprise&year=2025", headers=token("unit", unit_id="dn-1")
    )
    body = answer.get_json()
    assert answer.status_code == 200 and body["catalogue_version"] == "tt124-2021-v1"
    assert [(c["criterion_id"], c["verified"]) for c in body["criteria"]] == [
        ("AE-1", True),
        ("AE-2", True),
        ("AE-3", False),
    ]
    assert (
        client.get("/api/v1/criteria?unit_type=ship", headers=token("reviewer")).status_code == 422
    )


def test_the_queue_shows_only_the_callers_jurisdiction_and_filters_by_status(client, feed, token):
    feed.submitted_case("kdc-1")
    feed.submitted_case("kdc-cr", jurisdiction="cam-ranh")
    feed.add_unit("kdc-2")
    feed.register("kdc-2", 2025)
    listed = client.get("/api/v1/cases?year=2025", headers=token("auditor")).get_json()
    assert sorted(c["unit_id"] for c in listed) == ["kdc-1", "kdc-2"]
    province = client.get("/api/v1/cases", headers=token("admin", jurisdiction="khanh-hoa"))
    assert len(province.get_json()) == 3
    only = client.get("/api/v1/cases?status=registered", headers=token("reviewer")).get_json()
    assert [(c["unit_id"], c["status"], c["version"]) for c in only] == [("kdc-2", "registered", 1)]
    other_year = client.get("/api/v1/cases?year=2024", headers=token("reviewer")).get_json()
    assert other_year == []
    by_commune = client.get("/api/v1/cases?commune_code=cam-linh", headers=token("reviewer"))
    assert by_commune.get_json() == []


def test_a_case_is_readable_by_its_own_unit_but_not_by_another_unit_or_jurisdiction(
    client, feed, token
):
    feed.submitted_case("kdc-1")
    assert client.get(URL, headers=token("unit", unit_id="kdc-1")).status_code == 200
    assert client.get(URL, headers=token("unit", unit_id="kdc-9")).status_code == 403
    outsider = token("reviewer", jurisdiction="cam-ranh")
    assert client.get(URL, headers=outsider).status_code == 403
    assert client.get("/api/v1/cases", headers=token("unit", unit_id="kdc-1")).status_code == 403


def test_unknown_cases_are_404_and_a_missing_token_is_401(client, feed, token):
    feed.submitted_case("kdc-1")
    assert client.get("/api/v1/cases/kdc-1/2024", headers=token("reviewer")).status_code == 404
    answer = client.get("/api/v1/cases/nobody/2025", headers=token("reviewer"))
    assert answer.status_code == 404 and answer.get_json()["code"] == 404
    assert client.get(URL).status_code == 401


def test_only_the_right_role_may_act(client, feed, token):
    feed.submitted_case("kdc-1")
    back = {"reasons": ["x"], "due_date": "2025-11-28"}
    assert client.post(f"{URL}/return", json=back, headers=token("approver")).status_code == 403
    annul = {"reason": "x"}
    assert client.post(f"{URL}/annulment", json=annul, headers=token("reviewer")).status_code == 403
    outsider = token("reviewer", jurisdiction="cam-ranh")
    assert client.post(f"{URL}/return", json=back, headers=outsider).status_code == 403


def test_bodies_are_strict_about_fields_and_vocabularies(client, feed, token):
    feed.submitted_case("kdc-1")
    reviewer = token("reviewer")
    extra = {"reasons": ["x"], "due_date": "2025-11-28", "colour": "red"}
    answer = client.post(f"{URL}/return", json=extra, headers=reviewer)
    assert answer.status_code == 422 and "colour" in answer.get_json()["errors"]
    wrong = {"recommendation": "maybe", "findings": [], "expected_version": 2}
    answer = client.post(f"{URL}/recommendation", json=wrong, headers=reviewer)
    assert answer.status_code == 422
    assert {"recommendation", "findings"} <= set(answer.get_json()["errors"])
    broken = client.post(
        f"{URL}/return", data="{", headers=reviewer | {"Content-Type": "application/json"}
    )
    assert broken.status_code in (400, 422)


def test_an_incident_is_recorded_published_by_unit_and_shown_on_the_case(client, feed, rt, token):
    feed.submitted_case("kdc-1")
    body = {
        "unit_id": "kdc-1",
        "occurred_on": "2025-06-01",
        "criterion_id": "RA-3",
        "description": "Tranh chấp đất kéo dài",
    }
    answer = client.post("/api/v1/incidents", json=body, headers=token("reviewer"))
    assert answer.status_code == 201, answer.get_json()
    incident_id = answer.get_json()["incident_id"]
    with rt.engine.connect() as conn:
        row = conn.execute(
            sa.select(events.c.stream_id, events.c.event_type, outbox.c.key, outbox.c.topic).join(
                outbox, outbox.c.position == events.c.position
            )
        ).one()
    assert tuple(row) == ("incidents-kdc-1", "IncidentRecorded", "kdc-1", "antt.review")
    case = client.get(URL, headers=token("reviewer")).get_json()
    assert [i["incident_id"] for i in case["incidents"]] == [incident_id]
    assert case["version"] == 2  # incidents are shown on the case, not steps of it


def test_an_incident_on_a_criterion_of_another_type_or_by_a_unit_is_refused(client, feed, token):
    feed.submitted_case("kdc-1")
    body = {
        "unit_id": "kdc-1",
        "occurred_on": "2025-06-01",
        "criterion_id": "CW-3",
        "description": "x",
    }
    answer = client.post("/api/v1/incidents", json=body, headers=token("reviewer"))
    assert answer.status_code == 422 and "criterion_id" in answer.get_json()["errors"]
    as_unit = token("unit", unit_id="kdc-1")
    assert client.post("/api/v1/incidents", json=body, headers=as_unit).status_code == 403
    missing = body | {"unit_id": "nobody", "criterion_id": "RA-3"}
    assert (
        client.post("/api/v1/incidents", json=missing, headers=token("reviewer")).status_code == 404
    )
