"""Registrations: required documents and figures per unit type, one per year, the deadline."""

from datetime import datetime

import pytest

from shared.clock import VIETNAM
from tests.unit.registration.builders import FIGURES


@pytest.fixture
def ready(build):
    build.campaign()
    build.commune()
    return build


def test_a_complete_registration_is_accepted_and_read_back(ready, token):
    ready.unit("kdc-1")
    r = ready.register("kdc-1")
    assert r.status_code == 201, r.json
    assert (r.json["late"], r.json["late_reason"]) == (False, None)
    assert {d["kind"] for d in r.json["documents"]} == {"party_resolution", "registration_form"}
    assert all(d["filename"].endswith(".pdf") and d["size"] > 0 for d in r.json["documents"])
    again = ready.get("/registrations/kdc-1/2026", token("reviewer"))
    assert again.status_code == 200
    assert again.json["figures"] == FIGURES["residential_area"]


@pytest.mark.parametrize(
    ("unit_type", "has_party", "missing"),
    [
        ("residential_area", True, "party_resolution"),
        ("residential_area", True, "registration_form"),
        ("commune", True, "security_plan"),
        ("agency", True, "party_resolution"),
        ("agency", False, "security_plan"),
        ("enterprise", False, "registration_form"),
        ("school", True, "security_plan"),
    ],
)
def test_each_missing_registration_document_is_named_in_a_422(ready, unit_type, has_party, missing):
    unit_id = f"u-{unit_type}-{missing}".replace("_", "-")
    if unit_type == "commune":
        ready.unit(unit_id, "commune", commune_code=unit_id, has_party_organization=has_party)
    else:
        ready.unit(unit_id, unit_type, has_party_organization=has_party)
    body = ready.registration_body(unit_id, unit_type)
    body["documents"] = [d for d in body["documents"] if d["kind"] != missing]
    r = ready.post("/registrations", body, ready.as_unit(unit_id))
    assert r.status_code == 422, r.json
    assert any(missing in line for line in r.json["errors"]["documents"])


def test_a_unit_without_a_party_organisation_needs_no_party_resolution(ready):
    ready.unit("dn-1", "enterprise", has_party_organization=False)
    body = ready.registration_body("dn-1", "enterprise")
    body["documents"] = [d for d in body["documents"] if d["kind"] != "party_resolution"]
    assert ready.post("/registrations", body, ready.as_unit("dn-1")).status_code == 201


def test_a_residential_area_brings_no_security_plan(ready):
    ready.unit("kdc-2")
    body = ready.registration_body("kdc-2")
    assert "security_plan" not in {d["kind"] for d in body["documents"]}
    assert ready.post("/registrations", body, ready.as_unit("kdc-2")).status_code == 201


@pytest.mark.parametrize(
    ("unit_type", "figure"),
    [
        ("residential_area", "households_resident"),
        ("residential_area", "households_registered"),
        ("agency", "staff_total"),
        ("enterprise", "staff_briefed"),
        ("school", "movement_models"),
        ("commune", "movement_models"),
    ],
)
def test_each_missing_figure_is_named_in_a_422(ready, unit_type, figure):
    unit_id = f"f-{unit_type}-{figure}".replace("_", "-")
    if unit_type == "commune":
        ready.unit(unit_id, "commune", commune_code=unit_id)
    else:
        ready.unit(unit_id, unit_type)
    figures = {k: v for k, v in FIGURES[unit_type].items() if k != figure}
    r = ready.register(unit_id, unit_type, figures=figures)
    assert r.status_code == 422, r.json
    assert f"figures.{figure}" in r.json["errors"]


def test_figures_that_contradict_each_other_are_refused(ready):
    ready.unit("kdc-3")
    figures = {"households_resident": 100, "households_registered": 120}
    r = ready.register("kdc-3", figures=figures)
    assert r.status_code == 422
    assert "figures.households_registered" in r.json["errors"]
    assert ready.register("kdc-3", figures={"households_resident": -1}).status_code == 422


def test_one_registration_per_unit_and_year(ready):
    ready.unit("kdc-4")
    assert ready.register("kdc-4").status_code == 201
    assert ready.register("kdc-4").status_code == 409


def test_without_a_campaign_or_for_an_unknown_unit_it_is_404(ready):
    assert ready.register("khong-co", headers=ready.admin).status_code == 404
    ready.unit("kdc-5")
    assert ready.register("kdc-5", year=2030).status_code == 404


def test_a_unit_user_registers_only_its_own_unit_and_reviewers_cannot_register(ready, token):
    ready.unit("kdc-6")
    ready.unit("kdc-7")
    body = ready.registration_body("kdc-6")
    assert ready.post("/registrations", body, ready.as_unit("kdc-7")).status_code == 403
    assert ready.post("/registrations", body, token("reviewer")).status_code == 403
    assert ready.get("/registrations/kdc-6/2026", ready.as_unit("kdc-7")).status_code == 403
    assert ready.get("/registrations/kdc-6/2026").status_code == 404


def after_deadline(clock):
    clock.advance(datetime(2026, 4, 2, 9, 0, tzinfo=VIETNAM) - clock.now())


def test_after_the_deadline_a_registration_is_refused_without_an_exception(ready, clock):
    ready.unit("kdc-8")
    after_deadline(clock)
    r = ready.register("kdc-8")
    assert r.status_code == 422
    assert "31/03/2026" in r.json["message"]


def test_an_admin_exception_lets_the_unit_register_late_with_the_reason(ready, clock, rt):
    ready.unit("kdc-9")
    after_deadline(clock)
    grant = {"unit_id": "kdc-9", "year": 2026, "step": "registration", "reason": "Ốm đau"}
    assert ready.post("/late-exceptions", grant, ready.as_unit("kdc-9")).status_code == 403
    r = ready.post("/late-exceptions", grant)
    assert r.status_code == 201, r.json
    assert r.json == grant | {"until": None}
    r = ready.register("kdc-9")
    assert r.status_code == 201, r.json
    assert (r.json["late"], r.json["late_reason"]) == (True, "Ốm đau")
    with rt.engine.connect() as conn:
        types = [e.event_type for e in rt.store.load(conn, "case-kdc-9-2026")]
    assert types == ["LateExceptionGranted", "UnitRegistered"]


def test_an_admin_may_register_late_on_the_units_behalf_giving_the_reason(ready, clock):
    ready.unit("kdc-10")
    after_deadline(clock)
    body = ready.registration_body("kdc-10", late_reason="Bổ sung theo chỉ đạo")
    body["documents"] = ready.documents("kdc-10", ["party_resolution", "registration_form"])
    r = ready.post("/registrations", body)
    assert r.status_code == 201, r.json
    assert r.json["late"] is True
    unit_body = ready.registration_body("kdc-10", late_reason="tự ghi")
    assert ready.post("/registrations", unit_body, ready.as_unit("kdc-10")).status_code == 403


def test_an_exception_that_has_expired_does_not_help(ready, clock):
    ready.unit("kdc-11")
    after_deadline(clock)
    grant = {
        "unit_id": "kdc-11",
        "year": 2026,
        "step": "registration",
        "reason": "Hạn ngắn",
        "until": "2026-04-03",
    }
    assert ready.post("/late-exceptions", grant).status_code == 201
    clock.advance(datetime(2026, 4, 4, 9, 0, tzinfo=VIETNAM) - clock.now())
    assert ready.register("kdc-11").status_code == 422
    past = grant | {"until": "2026-04-01"}
    assert ready.post("/late-exceptions", past).status_code == 422


def test_an_exception_for_an_already_registered_unit_is_out_of_order(ready, token):
    ready.unit("kdc-12")
    assert ready.register("kdc-12").status_code == 201
    grant = {"unit_id": "kdc-12", "year": 2026, "step": "registration", "reason": "x"}
    assert ready.post("/late-exceptions", grant).status_code == 409
    elsewhere = token("admin", jurisdiction="cam-ranh")
    assert ready.post("/late-exceptions", grant | {"step": "dossier"}, elsewhere).status_code == 403
    assert ready.post("/late-exceptions", grant | {"step": "decision"}).status_code == 422
