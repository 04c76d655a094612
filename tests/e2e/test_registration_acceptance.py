"""Registration's acceptance over HTTP: real processes, PostgreSQL and the real broker.

The system clock starts on 20/11/2026 (tests/e2e/conftest.py): the 2026 registration deadline
has passed and its dossier window is open; the 2027 campaign is still taking registrations.
"""

from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa

from shared.envelope import Envelope
from shared.events import REGISTRY
from shared.messaging.kafka import KafkaSubscription
from tests.e2e import flow
from tests.e2e.client import wait_until
from tests.e2e.registration_http import send_file, upload, upload_ok
from tests.unit.registration import files

pytestmark = pytest.mark.e2e
MB = 1024 * 1024
RA_FIGURES = {"households_resident": 80, "households_registered": 80}
AGENCY_FIGURES = {"staff_total": 30, "staff_briefed": 30, "movement_models": 1}


def reg(system, method, path, role=None, body=None, token=None):
    return system.api("registration", method, path, role, body, token)


def add(system, unit_id, unit_type="residential_area", **kw):
    body = {
        "unit_id": unit_id,
        "name": f"Đơn vị {unit_id}",
        "unit_type": unit_type,
        "commune_code": "bac-nha-trang",
        "managing_level": "commune",
        "has_party_organization": True,
        "contact_email": f"{unit_id}@example.vn",
    } | kw
    return reg(system, "POST", "/units", "admin", body)


def docs(system, unit_id, kinds):
    return flow.documents(system, system.unit_token(unit_id), unit_id, kinds)


def registration(system, unit_id, year, kinds, figures):
    return {
        "unit_id": unit_id,
        "year": year,
        "documents": docs(system, unit_id, kinds),
        "figures": figures,
    }


def dossier(system, unit_id, criteria, **kw):
    body = {
        "unit_id": unit_id,
        "year": 2026,
        "documents": docs(system, unit_id, flow.DOSSIER_KINDS),
        "self_assessment": [{"criterion_id": c, "met": True, "note": "Đạt"} for c in criteria],
    }
    return body | kw


def store_files(system):
    root = system.stack.var_dir / "registration-documents"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_campaign_is_set_and_edited_by_the_admin_only(system):
    flow.setup_campaign_and_commune(system)
    assert reg(system, "POST", "/campaigns/2027", "reviewer", {}).status == 403
    r = reg(system, "POST", "/campaigns/2027", "admin", {})
    assert (r.status, r.json["registration_deadline"]) == (200, "2027-03-31"), r.json
    r = reg(system, "POST", "/campaigns/2027", "admin", {"dossier_deadline": "2027-12-10"})
    assert (r.json["dossier_deadline"], r.json["version"]) == ("2027-12-10", 2)
    passed = reg(
        system, "POST", "/campaigns/2026", "admin", {"registration_deadline": "2026-12-01"}
    )
    assert passed.status == 422, passed.json
    read = reg(system, "GET", "/campaigns/2027", token=system.unit_token("anyone"))
    assert read.json["dossier_deadline"] == "2027-12-10"


@pytest.mark.parametrize(
    ("unit_type", "field", "value"),
    [
        ("agency", "armed_forces", True),
        ("enterprise", "enterprise_size", "small"),
        ("enterprise", "enterprise_size", "micro"),
        ("school", "school_level", "primary"),
        ("school", "school_level", "kindergarten"),
        ("school", "school_level", "creche"),
    ],
)
def test_each_art_1_exclusion_is_refused_naming_the_rule(system, unit_type, field, value):
    r = add(system, f"x-{str(value).lower()}-{uuid.uuid4().hex[:6]}", unit_type, **{field: value})
    assert r.status == 422, r.json
    assert r.json["message"].startswith("Điều 1 Thông tư 124/2021/TT-BCA")
    assert field in r.json["errors"]


def test_a_residential_area_must_name_its_commune(system):
    body = {"commune_code": "khong-co"}
    assert add(system, "kdc-no-commune", **body).status == 422


def test_a_csv_import_is_all_or_nothing_with_a_row_report(system):
    header = "unit_id,name,unit_type,commune_code,managing_level,has_party_organization,"
    header += "contact_email,enterprise_size,school_level,armed_forces\n"
    good = "kdc-csv-1,Tổ dân phố Hòn Rớ,residential_area,bac-nha-trang,commune,có,h@example.vn,,,\n"
    bad = (
        "th-csv,Trường Tiểu học Sóng Biển,school,bac-nha-trang,province,có,t@example.vn,,primary,\n"
    )
    url = system.stack.url("registration")
    admin = system.tokens["admin"]
    text = "\ufeff" + header + good + bad
    r = send_file(url, "/units/import", admin, "don-vi.csv", text.encode())
    assert r.status == 422, r.json
    assert [x["row"] for x in r.json["report"]["rejected"]] == [3]
    assert "tiểu học" in r.json["report"]["rejected"][0]["message"]
    listed = reg(system, "GET", "/units?unit_type=residential_area", "admin").json
    assert "kdc-csv-1" not in {u["unit_id"] for u in listed}
    r = send_file(url, "/units/import", admin, "don-vi.csv", (header + good).encode())
    assert r.status == 201, r.json
    listed = reg(system, "GET", "/units?commune_code=bac-nha-trang", "admin").json
    assert "kdc-csv-1" in {u["unit_id"] for u in listed}


def test_a_unit_update_is_an_event_and_is_checked_again(system):
    assert add(system, "dn-update", "enterprise", enterprise_size="large").status == 201
    small = reg(system, "PATCH", "/units/dn-update", "admin", {"enterprise_size": "small"})
    assert small.status == 422
    r = reg(system, "PATCH", "/units/dn-update", "admin", {"enterprise_size": "medium"})
    assert r.status == 200, r.json
    assert reg(system, "GET", "/units/dn-update", "reviewer").json["enterprise_size"] == "medium"


def test_each_missing_document_and_figure_is_named(system):
    assert add(system, "kdc-2027").status == 201
    assert (
        add(system, "cq-2027", "agency", armed_forces=False, managing_level="province").status
        == 201
    )
    cases = [
        ("kdc-2027", ["registration_form"], RA_FIGURES, "documents", "party_resolution"),
        ("kdc-2027", ["party_resolution"], RA_FIGURES, "documents", "registration_form"),
        (
            "cq-2027",
            ["party_resolution", "registration_form"],
            AGENCY_FIGURES,
            "documents",
            "security_plan",
        ),
        (
            "kdc-2027",
            list(flow.RA_REGISTRATION_KINDS),
            {"households_resident": 80},
            "figures.households_registered",
            "",
        ),
        (
            "cq-2027",
            ["party_resolution", "security_plan", "registration_form"],
            {"staff_total": 30, "staff_briefed": 30},
            "figures.movement_models",
            "",
        ),
    ]
    for unit_id, kinds, figures, field, named in cases:
        body = registration(system, unit_id, 2027, kinds, figures)
        r = reg(system, "POST", "/registrations", body=body, token=system.unit_token(unit_id))
        assert r.status == 422, (unit_id, kinds, r.json)
        assert named in " ".join(r.json["errors"][field])
    body = registration(system, "kdc-2027", 2027, flow.RA_REGISTRATION_KINDS, RA_FIGURES)
    token = system.unit_token("kdc-2027")
    first = reg(system, "POST", "/registrations", body=body, token=token)
    assert (first.status, first.json["late"]) == (201, False), first.json
    assert reg(system, "POST", "/registrations", body=body, token=token).status == 409


def test_late_registration_without_and_with_an_exception(system):
    assert add(system, "kdc-late").status == 201
    token = system.unit_token("kdc-late")
    body = registration(system, "kdc-late", 2026, flow.RA_REGISTRATION_KINDS, RA_FIGURES)
    refused = reg(system, "POST", "/registrations", body=body, token=token)
    assert refused.status == 422
    assert "31/03/2026" in refused.json["message"]
    grant = {"unit_id": "kdc-late", "year": 2026, "step": "registration", "reason": "Thành lập mới"}
    assert reg(system, "POST", "/late-exceptions", body=grant, token=token).status == 403
    assert reg(system, "POST", "/late-exceptions", "admin", grant).status == 201
    r = reg(system, "POST", "/registrations", body=body, token=token)
    assert (r.status, r.json["late"], r.json["late_reason"]) == (201, True, "Thành lập mới")
    read = reg(system, "GET", "/registrations/kdc-late/2026", "reviewer")
    assert read.json["late"] is True


def test_a_dossier_outside_its_window_is_refused(system):
    # kdc-2027 registered for 2027; that year's window opens on 01/11/2027.
    body = dossier(system, "kdc-2027", flow.criteria_of(system)) | {"year": 2027}
    r = reg(system, "POST", "/dossiers", body=body, token=system.unit_token("kdc-2027"))
    assert r.status == 422, r.json
    assert "01/11/2027" in r.json["message"]


def test_a_dossier_with_unknown_or_missing_criteria_is_refused(system):
    criteria = flow.criteria_of(system)
    body = dossier(system, "kdc-late", [*criteria[1:], "XX-1"])
    r = reg(system, "POST", "/dossiers", body=body, token=system.unit_token("kdc-late"))
    assert r.status == 422
    problems = " ".join(r.json["errors"]["self_assessment"])
    assert "XX-1" in problems and criteria[0] in problems


def test_resubmission_after_a_return_is_revision_2_and_revision_1_stays_readable(system):
    criteria = flow.criteria_of(system)
    token = system.unit_token("kdc-late")
    first = reg(
        system, "POST", "/dossiers", body=dossier(system, "kdc-late", criteria), token=token
    )
    assert first.status == 201, first.json
    flow.case_in_review(system, "kdc-late", "dossier_submitted")
    returned = system.api(
        "review",
        "POST",
        "/cases/kdc-late/2026/return",
        "reviewer",
        {"reasons": ["Thiếu chữ ký trên biên bản"], "due_date": "2026-12-05"},
    )
    assert returned.status in (200, 201), returned.json
    wait_until(
        lambda: (
            reg(system, "GET", "/dossiers/kdc-late/2026", token=token).json["returned_revisions"]
            == [1]
        ),
        "registration to hear of the return",
    )
    second = reg(
        system, "POST", "/dossiers", body=dossier(system, "kdc-late", criteria), token=token
    )
    assert (second.status, second.json["revision"]) == (201, 2), second.json
    revisions = reg(system, "GET", "/dossiers/kdc-late/2026", token=token).json["revisions"]
    assert [r["revision"] for r in revisions] == [1, 2]


def test_concurrent_submissions_one_201_one_409(system):
    flow.add_unit(system, "kdc-race")
    flow.register_late(system, "kdc-race")
    token = system.unit_token("kdc-race")
    version = reg(system, "GET", "/dossiers/kdc-race/2026", token=token).json["version"]
    body = dossier(system, "kdc-race", flow.criteria_of(system), expected_version=version)
    start, answers = threading.Barrier(2), []

    def submit():
        start.wait()
        answers.append(reg(system, "POST", "/dossiers", body=body, token=token).status)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [201, 409]
    revisions = reg(system, "GET", "/dossiers/kdc-race/2026", token=token).json["revisions"]
    assert len(revisions) == 1


def test_a_25_mb_upload_is_413_and_nothing_is_stored(system):
    before = store_files(system)
    data = files.pdf() + b"0" * (25 * MB)
    r = upload(system, system.unit_token("kdc-late"), "lon.pdf", data)
    assert r.status == 413, r.body[:300]
    assert set(r.json) == {"code", "status", "message", "errors"}
    assert store_files(system) == before


def test_a_file_named_like_a_path_holding_html_is_refused(system):
    before = store_files(system)
    r = upload(system, system.unit_token("kdc-late"), "../../etc/passwd.pdf", files.html())
    assert r.status == 422, r.json
    assert "file" in r.json["errors"]
    assert store_files(system) == before
    ok = upload(system, system.unit_token("kdc-late"), "../../etc/bao-cao.pdf", files.pdf())
    assert (ok.status, ok.json["filename"]) == (201, "bao-cao.pdf")


def test_a_unit_user_reading_another_units_dossier_gets_403(system):
    r = reg(system, "GET", "/dossiers/kdc-late/2026", token=system.unit_token("kdc-race"))
    assert r.status == 403
    assert set(r.json) == {"code", "status", "message", "errors"}
    assert reg(system, "GET", "/dossiers/kdc-late/2026", "auditor").status == 200


def test_a_document_is_downloaded_only_by_those_who_see_the_case(system):
    cited = reg(system, "GET", "/registrations/kdc-late/2026", "reviewer").json["documents"][0]
    path = f"/documents/{cited['sha256']}"
    own = reg(system, "GET", path, token=system.unit_token("kdc-late"))
    assert (own.status, own.body) == (200, files.pdf("kdc-late " + cited["kind"]))
    assert reg(system, "GET", path, "auditor").status == 200
    assert reg(system, "GET", path, token=system.unit_token("kdc-race")).status == 403
    loose = upload_ok(system, system.unit_token("kdc-race"), "anh.png", files.png())
    assert (
        reg(system, "GET", f"/documents/{loose}", token=system.unit_token("kdc-race")).status == 403
    )


def test_every_emitted_event_validates_and_lands_on_antt_registration_keyed_by_unit_id(system):
    with system.engines["registration"].connect() as conn:
        rows = conn.execute(sa.text("SELECT event_id, event_type FROM events")).all()
    expected = {r.event_id for r in rows}
    assert {r.event_type for r in rows} == {
        "CampaignScheduled",
        "UnitAdded",
        "UnitUpdated",
        "UnitRegistered",
        "LateExceptionGranted",
        "DossierSubmitted",
    }
    sub = KafkaSubscription(
        system.broker.bootstrap, {}, f"probe-{uuid.uuid4().hex}", ["antt.registration"]
    )
    records = {}
    try:
        wait_until(
            lambda: (
                records.update({r.headers.get("event_id"): r for r in sub.poll(1.0)})
                or expected <= set(records)
            ),
            "every registration event on antt.registration",
        )
    finally:
        sub.close()
    for event_id in expected:
        record = records[event_id]
        assert record.topic == "antt.registration"
        env = Envelope.from_bytes(record.value)
        assert env.hash_ok and env.event_id == event_id
        event = REGISTRY.decode(env.event_type, env.event_version, env.payload)
        assert record.key == (getattr(event, "unit_id", None) or f"campaign-{event.year}")
