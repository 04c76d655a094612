"""Registration on PostgreSQL: racing writers of one case or unit get one success and one 409."""

from __future__ import annotations

import io
import threading
from datetime import datetime

import pytest

from services.registration.adapters import repository as repo
from services.registration.adapters.rules import eligibility_rules
from services.registration.domain import unit
from services.registration.entrypoints.api import create_app
from services.registration.service_layer import commands
from shared.auth import Principal, mint_token
from shared.clock import VIETNAM, FixedClock
from shared.events.registration import unit_stream
from shared.persistence.event_store import ConcurrencyConflict
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


def test_a_unit_changed_by_another_admin_after_it_was_read_gives_409_not_a_lost_update(build):
    build.unit("kdc-4")
    rt = build.client.application.config["ANTT_RUNTIME"]
    admin, other_admin = (Principal(sub, "admin", None, "nha-trang") for sub in ("a-1", "a-2"))
    with pytest.raises(ConcurrencyConflict), rt.engine.begin() as conn:
        # The first update reads the entry and its stream head in one read, as PATCH does …
        current, head = repo.unit_and_head(rt.store, conn, "kdc-4")
        # … a second admin commits a change meanwhile, on its own connection …
        commands.update_unit(rt, other_admin, "kdc-4", {"contact_email": "moi@example.vn"})
        directory = repo.directory(conn, rt.jurisdictions, admin.jurisdiction)
        new = unit.update_unit(current, {"name": "Tên mới"}, eligibility_rules(), directory)
        # … and the first one's append, made after the head it read, is refused.
        commands.append_units(rt, conn, admin, new, {unit_stream("kdc-4"): head})
    entry = build.get("/units/kdc-4").json
    assert (entry["name"], entry["contact_email"]) == ("Đơn vị kdc-4", "moi@example.vn")
    with rt.engine.connect() as conn:
        assert len(rt.store.load(conn, unit_stream("kdc-4"))) == 2


def test_two_patches_of_one_unit_at_once_never_lose_one(build):
    build.unit("kdc-5")
    changes = ({"name": "Tên mới"}, {"contact_email": "moi@example.vn"})
    answers = iter(changes)
    lock = threading.Lock()

    def send():
        with lock:
            body = next(answers)
        return build.client.patch("/api/v1/units/kdc-5", json=body, headers=build.admin)

    statuses = race(send)
    entry = build.get("/units/kdc-5").json
    if statuses == [200, 200]:  # applied one after the other: both changes are there
        assert (entry["name"], entry["contact_email"]) == ("Tên mới", "moi@example.vn")
    else:
        assert statuses == [200, 409]
