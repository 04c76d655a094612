"""Registration on PostgreSQL: racing writers of one case or unit get one success and one 409."""

from __future__ import annotations

import io
import threading
from datetime import datetime

import pytest

from services.registration.domain import unit
from services.registration.entrypoints.api import create_app
from services.registration.service_layer import commands
from shared.auth import Principal, mint_token
from shared.clock import VIETNAM, FixedClock
from shared.events.registration import unit_stream
from tests.conftest import settings_for
from tests.unit.registration.builders import Builder

pytestmark = pytest.mark.integration


@pytest.fixture
def build(pg_url, tmp_path):
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM))
    app = create_app(settings_for("registration", pg_url, var_dir=tmp_path), clock)
    rt = app.config["ANTT_RUNTIME"]

    def token(role="admin", sub=None, unit_id=None, jurisdiction="nha-trang"):
        scope = None if role == "unit" else jurisdiction
        raw = mint_token(rt.settings.jwt_secret, role, sub or f"{role}-1", unit_id, scope)
        return {"Authorization": f"Bearer {raw}"}

    b = Builder(app.test_client(), token, clock)
    b.campaign()
    b.commune()
    yield b
    rt.engine.dispose()


def race(send) -> list[int]:
    start, answers = threading.Barrier(2), []

    def one():
        start.wait()
        answers.append(send().status_code)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(answers)


def test_two_registrations_of_one_unit_at_once_one_201_one_409(build):
    build.unit("kdc-1")
    body = build.registration_body("kdc-1")
    headers = build.as_unit("kdc-1")
    assert race(lambda: build.post("/registrations", body, headers)) == [201, 409]


def test_two_dossiers_with_the_same_expected_version_one_201_one_409(build):
    build.unit("kdc-2")
    assert build.register("kdc-2").status_code == 201
    build.clock.advance(datetime(2026, 11, 5, 9, 0, tzinfo=VIETNAM) - build.clock.now())
    version = build.get("/dossiers/kdc-2/2026").json["version"]
    body = build.dossier_body("kdc-2", expected_version=version)
    headers = build.as_unit("kdc-2")
    assert race(lambda: build.post("/dossiers", body, headers)) == [201, 409]
    assert len(build.get("/dossiers/kdc-2/2026").json["revisions"]) == 1


def test_the_same_file_uploaded_twice_at_once_is_stored_once(build):
    data = "%PDF-1.4\n% cùng một tệp\n%%EOF\n".encode()
    headers = build.as_unit("kdc-3")

    def send():
        return build.client.post(
            "/api/v1/documents",
            headers=headers,
            data={"file": (io.BytesIO(data), "a.pdf")},
            content_type="multipart/form-data",
        )

    assert race(send) == [201, 201]


def test_a_unit_changed_by_another_admin_after_it_was_read_gives_409_not_a_lost_update(
    build, monkeypatch
):
    build.unit("kdc-4")
    rt = build.client.application.config["ANTT_RUNTIME"]
    other_admin = Principal("admin-2", "admin", None, "nha-trang")
    decide = unit.update_unit
    interleaved = []

    def meanwhile_another_admin_commits(current, fields, *args):
        # The first PATCH has read the entry; a second one commits before it appends.
        if not interleaved:
            interleaved.append(True)
            commands.update_unit(rt, other_admin, "kdc-4", {"contact_email": "moi@example.vn"})
        return decide(current, fields, *args)

    monkeypatch.setattr(unit, "update_unit", meanwhile_another_admin_commits)
    r = build.client.patch("/api/v1/units/kdc-4", json={"name": "Tên mới"}, headers=build.admin)
    assert r.status_code == 409, r.json
    entry = build.get("/units/kdc-4").json
    assert (entry["name"], entry["contact_email"]) == ("Đơn vị kdc-4", "moi@example.vn")
    with rt.engine.connect() as conn:
        assert len(rt.store.load(conn, unit_stream("kdc-4"))) == 2
