"""The official documents in the portal against fake APIs: forms, the draft and batch decision,
the report document, and the page a form's QR code opens."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import pytest

from services.portal.adapters.api_client import ApiError, File
from services.portal.entrypoints.api import create_app
from services.portal.settings import PortalSettings
from shared.clock import VIETNAM, FixedClock
from tests.unit.portal.test_unit_pages import REQUIREMENTS, UNIT, FakeApi, FakeApis, FakeRuntime

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class FilesApi(FakeApi):
    """A fake API that also hands out files, and answers a POST with `reply`."""

    downloaded: list = field(default_factory=list)
    reply: dict = field(default_factory=dict)

    def download(self, path, query=None, accept="*/*"):
        self.downloaded.append((path, query))
        if self.refusal:
            raise self.refusal
        return File(b"PK-document", DOCX, "tai-lieu")

    def post(self, path, body=None, query=None):
        super().post(path, body, query)
        return self.reply


@pytest.fixture
def world():
    registration = FilesApi({"/units/kdc-1": UNIT, "/requirements": REQUIREMENTS})
    registration.answers["/campaigns/2026"] = {"registration_deadline": "2026-03-31"}
    return FakeApis(registration, FilesApi({}), FilesApi({}), FilesApi({}))


@pytest.fixture
def app(world):
    app = create_app(PortalSettings(api_urls={}))
    rt = app.config["PORTAL"]
    clock = FixedClock(datetime(2026, 11, 20, 9, tzinfo=VIETNAM))
    app.config["PORTAL"] = FakeRuntime(PortalSettings(api_urls=world), rt.sign_in, clock)
    return app


def signed_in(app, account, **extra):
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/dang-nhap").text)[1]
    client.post("/dang-nhap", data={"account": account, "csrf_token": token, **extra})
    return client


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def test_a_unit_downloads_its_forms_filled_in_for_the_year_with_its_own_token(app, world):
    client = signed_in(app, "unit", code="kdc-1")
    page = client.get("/don-vi?nam=2026").text
    for form in ("dang-ky", "to-trinh", "bao-cao", "bien-ban"):
        assert f"/don-vi/bieu-mau/{form}?nam=2026" in page
    r = client.get("/don-vi/bieu-mau/to-trinh?nam=2026")
    assert r.status_code == 200 and r.data == b"PK-document"
    assert r.headers["Content-Type"] == DOCX
    assert "to-trinh-2026.docx" in r.headers["Content-Disposition"]
    assert world.registration.downloaded == [
        ("/forms/to-trinh", {"unit_id": "kdc-1", "year": 2026})
    ]
    assert client.get("/don-vi/bieu-mau/khac").status_code == 404


def test_the_registration_page_offers_its_form(app):
    client = signed_in(app, "unit", code="kdc-1")
    assert "/don-vi/bieu-mau/dang-ky?nam=2026" in client.get("/don-vi/dang-ky?nam=2026").text


def test_a_forms_qr_code_sends_a_stranger_to_sign_in_then_the_unit_to_its_filing_page(app):
    stranger = app.test_client()
    r = stranger.get("/don-vi/ho-so?bieu-mau=bao-cao&unit_id=kdc-1&year=2026")
    assert r.status_code == 302 and r.headers["Location"].startswith("/dang-nhap?next=")
    assert "bieu-mau" in r.headers["Location"]
    client = signed_in(app, "unit", code="kdc-1")
    r = client.get("/don-vi/ho-so?bieu-mau=bao-cao&unit_id=kdc-1&year=2026")
    assert r.status_code == 303 and r.headers["Location"] == "/don-vi/ho-so?nam=2026"
    r = client.get("/don-vi/ho-so?bieu-mau=dang-ky&unit_id=kdc-1&year=2026")
    assert r.headers["Location"] == "/don-vi/dang-ky?nam=2026"


def test_an_approver_downloads_the_draft_decision_as_docx_or_pdf(app, world):
    client = signed_in(app, "approver")
    r = client.get("/quyet-dinh/du-thao?nam=2026&format=pdf")
    assert r.status_code == 200
    assert "du-thao-quyet-dinh-cong-nhan-2026.pdf" in r.headers["Content-Disposition"]
    assert world.review.downloaded == [("/decisions/draft", {"year": 2026, "format": "pdf"})]
    assert signed_in(app, "unit", code="kdc-1").get("/quyet-dinh/du-thao").status_code == 403


def _recommended(world, jurisdiction):
    world.review.answers["/cases"] = [
        {"unit_id": u, "year": 2026, "status": "recommended", "unit": {"name": n}}
        for u, n in (("kdc-a", "Khu Anh Đào"), ("kdc-b", "Khu Bình Minh"), ("kdc-c", "Khu Cúc"))
    ]
    for unit_id, rec, code in (
        ("kdc-a", "achieved", jurisdiction),
        ("kdc-b", "achieved", jurisdiction),
        ("kdc-c", "not_achieved", jurisdiction),
    ):
        world.review.answers[f"/cases/{unit_id}/2026"] = {
            "status": "recommended",
            "version": 7,
            "authority": {"code": code},
            "recommendation": {"recommendation": rec, "made_by": "reviewer-1"},
        }


def test_the_batch_page_lists_only_the_achieved_cases_of_the_approvers_remit(app, world):
    client = signed_in(app, "approver")
    with client.session_transaction() as session:
        code = session["person"]["jurisdiction"]
    _recommended(world, code)
    page = client.get("/quyet-dinh/hang-loat?nam=2026").text
    assert "Khu Anh Đào" in page and "Khu Bình Minh" in page and "Khu Cúc" not in page
    assert "/quyet-dinh/du-thao?nam=2026&amp;format=docx" in page


def test_a_batch_decision_reports_each_case_and_explains_a_refusal_in_vietnamese(app, world):
    client = signed_in(app, "approver")
    with client.session_transaction() as session:
        code = session["person"]["jurisdiction"]
    _recommended(world, code)
    token = csrf(client.get("/quyet-dinh/hang-loat?nam=2026").text)
    world.review.reply = {
        "year": 2026,
        "decision_number": "12/QĐ-UBND",
        "decided_on": "2026-11-20",
        "decided": 1,
        "refused": 1,
        "results": [
            {"unit_id": "kdc-a", "status": "decided"},
            {
                "unit_id": "kdc-b",
                "status": "refused",
                "code": 403,
                "message": "Người lập kiến nghị không được tự quyết định.",
            },
        ],
    }
    form = {
        "csrf_token": token,
        "unit_id": ["kdc-a", "kdc-b"],
        "version_kdc-a": "7",
        "name_kdc-a": "Khu Anh Đào",
        "name_kdc-b": "Khu Bình Minh",
        "decision_number": "12/QĐ-UBND",
        "decided_on": "20/11/2026",
    }
    page = client.post("/quyet-dinh/hang-loat?nam=2026", data=form).text
    path, body = world.review.posted[-1]
    assert path == "/decisions/batch"
    assert body["cases"] == [{"unit_id": "kdc-a", "expected_version": 7}, {"unit_id": "kdc-b"}]
    assert body["decided_on"] == "2026-11-20" and body["year"] == 2026
    assert "Kết quả quyết định số 12/QĐ-UBND" in page
    assert "Khu Anh Đào" in page and "Đã công nhận" in page
    assert "nguyên tắc bốn mắt" in page and "không được tự quyết định" in page


def test_a_batch_decision_without_a_case_or_a_number_is_refused_at_the_fields(app, world):
    client = signed_in(app, "approver")
    with client.session_transaction() as session:
        code = session["person"]["jurisdiction"]
    _recommended(world, code)
    token = csrf(client.get("/quyet-dinh/hang-loat?nam=2026").text)
    r = client.post(
        "/quyet-dinh/hang-loat?nam=2026", data={"csrf_token": token, "decided_on": "31/02/2026"}
    )
    assert r.status_code == 422
    for message in ("Chọn ít nhất một hồ sơ", "Nhập số quyết định", "Nhập ngày ký"):
        assert message in r.text
    assert world.review.posted == []


def test_the_auditor_downloads_the_report_document_next_to_the_tables(app, world):
    client = signed_in(app, "auditor")
    r = client.get("/bao-cao/tai-ve?nam=2026&format=pdf")
    assert r.status_code == 200
    assert world.reporting.downloaded[-1] == (
        "/reports/2026",
        {"commune_code": "", "format": "pdf"},
    )
    world.reporting.refusal = ApiError(403, "Không có quyền xem báo cáo này.")
    r = client.get("/bao-cao/tai-ve?nam=2026&format=docx")
    assert r.status_code == 403 and "Không có quyền" in r.text
