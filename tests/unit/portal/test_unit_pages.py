"""A unit's pages against fake APIs: polling until review caught up, refusals at their field."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime

import pytest

from services.portal.adapters.api_client import ApiError
from services.portal.bootstrap import PortalRuntime
from services.portal.entrypoints.api import create_app
from services.portal.settings import PortalSettings
from shared.clock import VIETNAM, FixedClock

UNIT = {
    "unit_id": "kdc-1",
    "name": "Khu dân cư 1",
    "unit_type": "residential_area",
    "commune_code": "vinh-hai",
    "has_party_organization": True,
}
REQUIREMENTS = {
    "registration": {
        "documents": {"registration_form": {"unit_types": ["residential_area"], "label": "Bản ĐK"}},
        "figures": {"households_resident": {"unit_types": ["residential_area"], "label": "Số hộ"}},
    },
    "dossier": {"documents": {}},
    "file_types": {"application/pdf": "PDF"},
    "max_upload_bytes": 1024,
}


@dataclass
class FakeApi:
    answers: dict
    posted: list = field(default_factory=list)
    refusal: ApiError | None = None
    last_headers: dict = field(default_factory=dict)

    def get(self, path, query=None):
        if path not in self.answers:
            raise ApiError(404, "Không tìm thấy.")
        return self.answers[path]

    def get_page(self, path, query=None):
        return self.get(path, query), None

    def post(self, path, body=None, query=None):
        self.posted.append((path, body))
        if self.refusal:
            raise self.refusal
        return {}

    def upload(self, path, filename, data, content_type, query=None):
        return {"sha256": "a" * 64, "filename": filename}


@dataclass
class FakeApis:
    registration: FakeApi
    review: FakeApi
    notification: FakeApi
    reporting: FakeApi


class FakeRuntime(PortalRuntime):
    def apis(self, token):
        return self.settings.api_urls  # the FakeApis, put where the URLs would be


@pytest.fixture
def world():
    return FakeApis(
        FakeApi(
            {
                "/units/kdc-1": UNIT,
                "/requirements": REQUIREMENTS,
                "/campaigns/2026": {"registration_deadline": "2026-03-31"},
            }
        ),
        FakeApi({}),
        FakeApi({}),
        FakeApi({}),
    )


@pytest.fixture
def client(world):
    app = create_app(PortalSettings(api_urls={}))
    rt = app.config["PORTAL"]
    clock = FixedClock(datetime(2026, 3, 2, 9, tzinfo=VIETNAM))
    app.config["PORTAL"] = FakeRuntime(PortalSettings(api_urls=world), rt.sign_in, clock)
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").text)[1]
    client.post("/dang-nhap", data={"account": "unit", "code": "kdc-1", "csrf_token": token})
    # Signing in starts a new session, with a CSRF token of its own.
    client.csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/don-vi").text)[1]
    return client


def test_the_timeline_polls_until_review_has_the_case_then_stops_with_286(client, world):
    world.registration.answers["/registrations/kdc-1/2026"] = {"unit_id": "kdc-1"}
    page = client.get("/don-vi?nam=2026&cho=dang-ky")
    assert 'hx-trigger="every 2s"' in page.text
    assert client.get("/don-vi/trang-thai?nam=2026&cho=dang-ky").status_code == 200
    world.review.answers["/cases/kdc-1/2026"] = {"status": "registered", "history": []}
    ready = client.get("/don-vi/trang-thai?nam=2026&cho=dang-ky")
    assert ready.status_code == 286 and "every 2s" not in ready.text


def test_a_refused_registration_shows_the_api_message_next_to_the_figure_and_keeps_the_file(
    client, world
):
    world.registration.refusal = ApiError(
        422, "Hồ sơ đăng ký còn thiếu.", {"figures.households_resident": ["Còn thiếu: Số hộ."]}
    )
    r = client.post(
        "/don-vi/dang-ky?nam=2026",
        data={
            "csrf_token": client.csrf,
            "file_registration_form": (io.BytesIO(b"%PDF-1.4"), "dk.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 422
    field_block = r.text.split('id="f-figures-households_resident"', 1)[1].split("</div>", 1)[0]
    assert "Còn thiếu: Số hộ." in field_block
    assert "Đã tải lên: dk.pdf" in r.text
    assert r.text.count("<title>Lỗi: ") == 1
    path, body = world.registration.posted[0]
    assert path == "/registrations"
    assert body["documents"] == [{"kind": "registration_form", "sha256": "a" * 64}]


def test_a_file_of_the_wrong_type_is_refused_before_it_is_sent(client, world):
    r = client.post(
        "/don-vi/dang-ky?nam=2026",
        data={
            "csrf_token": client.csrf,
            "file_registration_form": (io.BytesIO(b"MZ"), "virus.exe"),
            "figure_households_resident": "40",
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 422
    assert "virus.exe phải là một trong các loại: .pdf" in r.text
    assert world.registration.posted == []


def test_the_reviewer_queue_can_show_only_returns_past_their_due_date(client, world):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").text)[1]
    client.post("/dang-nhap", data={"account": "reviewer", "csrf_token": token})
    rows = [
        {"unit_id": u, "year": 2026, "status": "returned", "unit": {"name": n}}
        for u, n in (("kdc-tre", "Khu Trễ"), ("kdc-kip", "Khu Kịp"))
    ]
    world.review.answers["/cases"] = rows
    for unit_id, due in (("kdc-tre", "2026-03-01"), ("kdc-kip", "2026-03-20")):
        world.review.answers[f"/cases/{unit_id}/2026"] = {
            "status": "returned",
            "returns": [{"revision": 1, "reasons": ["x"], "due_date": due}],
        }
    page = client.get("/tham-dinh?nam=2026&qua_han=1").text
    assert "Khu Trễ" in page and "01/03/2026" in page
    assert "Khu Kịp" not in page
    every = client.get("/tham-dinh?nam=2026&status=returned").text
    assert every.index("Khu Kịp") < every.index("Khu Trễ")  # K-ị-p before T-r-ễ
