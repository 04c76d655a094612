"""Dossiers: the window, documents, one line per criterion, revisions after a return, versions."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from services.registration.adapters.tables import case_returns
from shared.clock import VIETNAM
from shared.events import REGISTRY
from tests.unit.registration.builders import CRITERIA
from tests.unit.registration.review_feed import ReviewFeed


def move_to(clock, y, m, d):
    clock.advance(datetime(y, m, d, 9, 0, tzinfo=VIETNAM) - clock.now())


@pytest.fixture
def registered(build, clock):
    """kdc-1 (residential area) and thcs-1 (school) registered; the clock in the RA window."""
    build.campaign()
    build.commune()
    for unit_id, unit_type in (("kdc-1", "residential_area"), ("thcs-1", "school")):
        build.unit(unit_id, unit_type)
        assert build.register(unit_id, unit_type).status_code == 201
    move_to(clock, 2026, 11, 5)
    return build


def test_a_complete_dossier_is_accepted_as_revision_1(registered, token):
    r = registered.submit("kdc-1")
    assert r.status_code == 201, r.json
    assert r.json["revision"] == 1
    read = registered.get("/dossiers/kdc-1/2026", token("auditor", jurisdiction="khanh-hoa"))
    assert read.status_code == 200
    [rev] = read.json["revisions"]
    assert (rev["revision"], rev["late"]) == (1, False)
    assert [a["criterion_id"] for a in rev["self_assessment"]] == CRITERIA["residential_area"]


def test_outside_its_window_a_dossier_is_refused_naming_the_window(registered, clock):
    # The school's period ends on 15/11: its window opens on 16/11.
    r = registered.submit("thcs-1", "school")
    assert r.status_code == 422
    assert "16/11/2026" in r.json["message"]
    move_to(clock, 2026, 12, 1)
    r = registered.submit("kdc-1")
    assert r.status_code == 422
    assert "30/11/2026" in r.json["message"]


def test_a_late_dossier_is_accepted_with_an_admin_exception(registered, clock):
    move_to(clock, 2026, 12, 3)
    grant = {"unit_id": "kdc-1", "year": 2026, "step": "dossier", "reason": "Bão lụt"}
    assert registered.post("/late-exceptions", grant).status_code == 201
    r = registered.submit("kdc-1")
    assert r.status_code == 201, r.json
    [rev] = registered.get("/dossiers/kdc-1/2026").json["revisions"]
    assert (rev["late"], rev["late_reason"]) == (True, "Bão lụt")


def test_only_a_registered_unit_files_a_dossier(registered):
    registered.unit("kdc-2")
    r = registered.submit("kdc-2")
    assert r.status_code == 409
    assert "chưa đăng ký" in r.json["message"]


@pytest.mark.parametrize("missing", ["proposal", "results_report", "meeting_minutes"])
def test_each_missing_dossier_document_is_named(registered, missing):
    body = registered.dossier_body("kdc-1")
    body["documents"] = [d for d in body["documents"] if d["kind"] != missing]
    r = registered.post("/dossiers", body, registered.as_unit("kdc-1"))
    assert r.status_code == 422
    assert any(missing in line for line in r.json["errors"]["documents"])


def test_unknown_missing_and_repeated_criteria_are_named(registered):
    body = registered.dossier_body("kdc-1")
    lines = body["self_assessment"]
    body["self_assessment"] = [*lines[1:], lines[1], {"criterion_id": "XX-9", "met": True}]
    r = registered.post("/dossiers", body, registered.as_unit("kdc-1"))
    assert r.status_code == 422
    problems = " ".join(r.json["errors"]["self_assessment"])
    assert "XX-9" in problems
    assert "RA-1" in problems
    assert "trùng: RA-2" in problems


def test_a_school_answers_its_own_six_criteria_not_another_types(registered, clock):
    move_to(clock, 2026, 11, 16)
    body = registered.dossier_body("thcs-1", "school")
    wrong = registered.dossier_body("thcs-1", "residential_area")
    r = registered.post("/dossiers", wrong, registered.as_unit("thcs-1"))
    assert r.status_code == 422
    assert "RA-1" in " ".join(r.json["errors"]["self_assessment"])
    assert registered.post("/dossiers", body, registered.as_unit("thcs-1")).status_code == 201


def test_a_dossier_under_review_cannot_be_submitted_again(registered):
    assert registered.submit("kdc-1").status_code == 201
    assert registered.submit("kdc-1").status_code == 409


def test_a_returned_dossier_is_resubmitted_as_the_next_revision_and_both_stay_readable(
    registered, clock, rt, tmp_path
):
    first = registered.submit("kdc-1").json
    feed = ReviewFeed(tmp_path, rt)
    due = date(2026, 12, 10)
    assert feed.return_dossier("kdc-1", 2026, first["dossier_id"], 1, due) == "handled"
    # The return's due date is later than the dossier deadline: it is what counts now.
    move_to(clock, 2026, 12, 8)
    second = registered.submit("kdc-1")
    assert second.status_code == 201, second.json
    assert second.json["revision"] == 2
    read = registered.get("/dossiers/kdc-1/2026", registered.as_unit("kdc-1")).json
    assert [r["revision"] for r in read["revisions"]] == [1, 2]
    assert read["returned_revisions"] == [1]
    assert registered.submit("kdc-1").status_code == 409


def test_a_stale_expected_version_is_a_409(registered):
    version = registered.get("/dossiers/kdc-1/2026").json["version"]
    stale = registered.submit("kdc-1", expected_version=version - 1)
    assert stale.status_code == 409
    assert "expected_version" in stale.json["errors"]
    assert registered.submit("kdc-1", expected_version=version).status_code == 201


def test_a_unit_user_cannot_read_another_units_dossier(registered, token):
    assert registered.submit("kdc-1").status_code == 201
    r = registered.get("/dossiers/kdc-1/2026", registered.as_unit("thcs-1"))
    assert r.status_code == 403
    elsewhere = token("reviewer", jurisdiction="cam-ranh")
    assert registered.get("/dossiers/kdc-1/2026", elsewhere).status_code == 403
    other = registered.submit("kdc-1", headers=registered.as_unit("thcs-1"))
    assert other.status_code == 403


@pytest.fixture
def returns_at_v2(monkeypatch):
    """DossierReturned as if it were at version 2: v1 named the due date `due`."""
    spec = REGISTRY.spec_for("DossierReturned")
    monkeypatch.setitem(REGISTRY.specs, spec.name, replace(spec, version=2))

    def v1_to_v2(payload: dict) -> dict:
        payload["due_date"] = payload.pop("due")
        return payload

    monkeypatch.setitem(REGISTRY.upcasters, (spec.name, 1), v1_to_v2)


def test_a_return_received_at_a_newer_version_is_read_back_without_upcasting_it_again(
    registered, clock, rt, tmp_path, returns_at_v2
):
    first = registered.submit("kdc-1").json
    feed = ReviewFeed(tmp_path, rt)
    assert feed.return_dossier("kdc-1", 2026, first["dossier_id"], 1, date(2026, 12, 10)) == (
        "handled"
    )
    move_to(clock, 2026, 12, 8)
    second = registered.submit("kdc-1")
    assert second.status_code == 201, second.json
    assert second.json["revision"] == 2


def test_a_return_stored_at_an_older_version_is_upcast_once_on_read(
    registered, clock, rt, returns_at_v2
):
    first = registered.submit("kdc-1").json
    old = {"unit_id": "kdc-1", "year": 2026, "dossier_id": first["dossier_id"], "revision": 1}
    old |= {"reasons": ["Thiếu biên bản"], "due": "2026-12-10"}
    with rt.engine.begin() as conn:
        row = {"event_id": "e-1", "unit_id": "kdc-1", "year": 2026, "payload": old}
        conn.execute(case_returns.insert().values(**row, event_version=1))
    move_to(clock, 2026, 12, 8)
    second = registered.submit("kdc-1")
    assert second.status_code == 201, second.json
    assert second.json["revision"] == 2
