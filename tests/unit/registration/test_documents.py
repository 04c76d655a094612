"""Documents: allowed kinds by content, size limit, clean names, stored once, checked downloads."""

import hashlib

import pytest

from services.registration.domain.documents import clean_filename
from services.registration.entrypoints.api import create_app
from shared.auth import mint_token
from tests.unit.registration import files
from tests.unit.registration.conftest import upload


def stored_files(rt):
    return sorted(p for p in rt.deps.documents.root.rglob("*") if p.is_file())


@pytest.mark.parametrize("content_type", sorted(files.ALLOWED))
def test_each_allowed_kind_is_recognised_by_its_content(client, token, content_type):
    name, make = files.ALLOWED[content_type]
    data = make()
    r = upload(client, token("unit", unit_id="kdc-1"), data, name)
    assert r.status_code == 201, r.json
    assert r.json == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "content_type": content_type,
        "filename": name,
    }


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (files.html(), "../../etc/passwd.pdf"),
        (files.html(), "bao-cao.docx"),
        (files.plain_zip(), "bien-ban.docx"),
        (b"just text, named like a picture", "anh.png"),
        (b"", "rong.pdf"),
    ],
)
def test_a_file_whose_content_is_not_an_allowed_kind_is_refused_and_not_stored(
    client, token, rt, data, name
):
    r = upload(client, token(), data, name)
    assert r.status_code == 422, r.json
    assert "file" in r.json["errors"]
    assert stored_files(rt) == []


def test_a_file_over_the_limit_gets_413_and_nothing_is_stored(client, token, rt):
    limit = rt.settings.max_upload_bytes
    data = files.pdf() + b"0" * limit
    r = upload(client, token(), data, "lon.pdf")
    assert r.status_code == 413
    assert set(r.json) == {"code", "status", "message", "errors"}
    assert r.json["code"] == 413
    assert stored_files(rt) == []


def test_file_names_are_sanitised():
    assert clean_filename("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_filename("C:\\Users\\x\\Nghị quyết.pdf") == "Nghị quyết.pdf"
    assert clean_filename("a\x00b<>.pdf") == "a_b_.pdf"
    assert clean_filename("..") == "tai-lieu"
    assert clean_filename("x" * 300 + ".pdf").endswith(".pdf")
    assert len(clean_filename("x" * 300 + ".pdf")) == 200


def test_the_same_content_is_stored_once(client, token, rt):
    data = files.pdf("một lần")
    first = upload(client, token("unit", unit_id="a"), data, "a.pdf").json
    second = upload(client, token("unit", unit_id="b"), data, "b.pdf").json
    assert first["sha256"] == second["sha256"]
    assert [p.name for p in stored_files(rt)] == [first["sha256"]]


def test_only_units_and_admins_upload(client, token):
    assert upload(client, token("reviewer"), files.pdf()).status_code == 403
    assert client.post("/api/v1/documents", data={}).status_code == 401


def test_a_missing_file_field_is_a_422(client, token):
    r = client.post(
        "/api/v1/documents", headers=token(), data={}, content_type="multipart/form-data"
    )
    assert r.status_code == 422
    assert "file" in r.json["errors"]["files"]


@pytest.fixture
def cited(build):
    """kdc-1 registered citing its documents; returns the hash of its registration form."""
    build.campaign()
    build.commune()
    build.unit("kdc-1")
    body = build.registration_body("kdc-1")
    assert build.post("/registrations", body, build.as_unit("kdc-1")).status_code == 201
    return next(d["sha256"] for d in body["documents"] if d["kind"] == "registration_form")


def test_a_download_returns_the_bytes_to_those_who_may_see_the_case(build, token, cited):
    own = build.client.get(f"/api/v1/documents/{cited}", headers=build.as_unit("kdc-1"))
    assert own.status_code == 200
    assert own.mimetype == "application/pdf"
    assert hashlib.sha256(own.data).hexdigest() == cited
    assert "registration_form.pdf" in own.headers["Content-Disposition"]
    for role in ("reviewer", "approver", "admin"):
        r = build.client.get(f"/api/v1/documents/{cited}", headers=token(role))
        assert r.status_code == 200, role
    auditor = token("auditor", jurisdiction="khanh-hoa")
    assert build.client.get(f"/api/v1/documents/{cited}", headers=auditor).status_code == 200


def test_a_download_is_refused_to_others(build, token, cited):
    other_unit = build.as_unit("kdc-2")
    assert build.client.get(f"/api/v1/documents/{cited}", headers=other_unit).status_code == 403
    elsewhere = token("reviewer", jurisdiction="cam-ranh")
    assert build.client.get(f"/api/v1/documents/{cited}", headers=elsewhere).status_code == 403
    assert build.client.get(f"/api/v1/documents/{'0' * 64}", headers=token()).status_code == 404


def test_an_uploaded_document_no_case_cites_is_downloadable_by_nobody(build, token):
    sha = build.upload(build.as_unit("kdc-9"), files.png(), "anh.png")
    r = build.client.get(f"/api/v1/documents/{sha}", headers=build.as_unit("kdc-9"))
    assert r.status_code == 403


def test_a_download_checks_the_hash_again_and_refuses_altered_bytes(build, rt, cited):
    path = next(p for p in stored_files(rt) if p.name == cited)
    path.write_bytes(path.read_bytes() + b"tampered")
    r = build.client.get(f"/api/v1/documents/{cited}", headers=build.as_unit("kdc-1"))
    assert r.status_code == 500
    assert "SHA-256" in r.json["message"]


def test_a_unit_cannot_cite_a_document_another_unit_uploaded(build):
    build.campaign()
    build.commune()
    build.unit("kdc-1")
    foreign = build.upload(build.as_unit("kdc-2"), files.pdf("của đơn vị khác"), "x.pdf")
    body = build.registration_body("kdc-1")
    body["documents"][0]["sha256"] = foreign
    r = build.post("/registrations", body, build.as_unit("kdc-1"))
    assert r.status_code == 422
    assert "documents" in r.json["errors"]


def test_a_zip_bomb_named_like_a_word_file_is_refused_with_422_and_not_stored(settings, clock):
    # The production upload limit (20 MB): the 1 MB bomb passes the size check, not the content's.
    app = create_app(settings.but(max_upload_bytes=20 * 1024 * 1024), clock)
    rt = app.config["ANTT_RUNTIME"]
    admin = mint_token(settings.jwt_secret, "admin", "admin-1", None, "nha-trang")
    headers = {"Authorization": f"Bearer {admin}"}
    r = upload(app.test_client(), headers, files.zip_bomb(), "bao-cao.docx")
    assert r.status_code == 422, r.json
    assert "giải nén" in r.json["message"]
    assert r.json["errors"]["file"]
    assert stored_files(rt) == []


def test_a_unit_is_never_told_the_name_another_unit_gave_the_same_bytes(build, token):
    build.campaign()
    build.commune()
    shared_plan = files.pdf("kế hoạch mẫu của phường")
    names = {"kdc-1": "bi-mat-kdc-1.pdf", "kdc-2": "ke-hoach-kdc-2.pdf"}
    for unit_id, name in names.items():
        build.unit(unit_id)
        me = build.as_unit(unit_id)
        r = upload(build.client, me, shared_plan, name)
        assert r.status_code == 201 and r.json["filename"] == name  # its own name, stored or not
        body = build.registration_body(unit_id)
        body["documents"][0]["sha256"] = r.json["sha256"]
        assert build.post("/registrations", body, me).status_code == 201
    sha = hashlib.sha256(shared_plan).hexdigest()
    for unit_id, name in names.items():
        r = build.client.get(f"/api/v1/documents/{sha}", headers=build.as_unit(unit_id))
        assert r.status_code == 200
        assert name in r.headers["Content-Disposition"]
        other = (set(names.values()) - {name}).pop()
        assert other not in r.headers["Content-Disposition"]
    # An official who may see both cases is told a name one of them gave.
    r = build.client.get(f"/api/v1/documents/{sha}", headers=token("reviewer"))
    assert "bi-mat-kdc-1.pdf" in r.headers["Content-Disposition"]
