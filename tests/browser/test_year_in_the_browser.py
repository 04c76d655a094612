"""Each role clicks through its part of a year in the portal, over the whole real stack."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

from tests.browser import journey
from tests.browser.conftest import axe_violations

UNIT, COMMUNE = "kdc-trinh-duyet", "bac-nha-trang"  # a ward of the 2026 structure
# ANTT_DOCS_SCREENSHOTS=1 refreshes the README's screenshots in docs/ while the journey runs.
DOCS = Path(__file__).resolve().parents[2] / "docs"


def snapshot(page, name: str) -> None:
    if os.environ.get("ANTT_DOCS_SCREENSHOTS") == "1":
        page.screenshot(path=str(DOCS / f"portal-{name}.png"), full_page=True)


def test_a_unit_registers_files_is_returned_refiles_and_is_recognised_and_audited(people):
    admin = people.sign_in("admin")
    journey.admin_prepares(admin, UNIT, COMMUNE)

    unit = people.sign_in("unit", UNIT)
    journey.unit_registers(unit)
    journey.unit_files(unit, revision=1)

    reviewer = people.sign_in("reviewer")
    journey.reviewer_opens_a_document(reviewer, UNIT, "to-trinh.pdf")
    journey.reviewer_returns(reviewer, UNIT)

    unit.goto(f"/don-vi?nam={journey.YEAR}")
    expect(unit.get_by_text("Hạn nộp lại hồ sơ đã bổ sung: 27/11/2026")).to_be_visible()
    snapshot(unit, "unit-year")
    journey.unit_files(unit, revision=2)

    journey.open_case(reviewer, UNIT)
    snapshot(reviewer, "reviewer-case")
    journey.reviewer_recommends(reviewer, UNIT)

    approver = people.sign_in("commune-approver", COMMUNE)
    journey.approver_decides_in_batch(approver, UNIT, "123/QĐ-UBND")
    assert axe_violations(approver) == []  # the batch decision's result page

    unit.goto(f"/don-vi?nam={journey.YEAR}")
    expect(unit.get_by_text("Quyết định số 123/QĐ-UBND")).to_be_visible()

    auditor = people.sign_in("auditor")
    journey.auditor_sees_recognised(auditor, UNIT)
    snapshot(auditor, "auditor-report")
    with auditor.expect_download() as download:
        auditor.get_by_role("link", name="Bảng tính XLSX").click()
    saved = download.value.path()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(saved, "rb") as f:
        assert f.read(2) == b"PK"  # a zip container, as every XLSX is
    with auditor.expect_download() as document:
        auditor.get_by_role("link", name="PDF", exact=True).click()
    with open(document.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    # Once reporting has the decision, the unit downloads its certificate from its own page.
    unit.goto(f"/don-vi?nam={journey.YEAR}")
    with unit.expect_download() as certificate:
        unit.get_by_role("link", name="Tải giấy công nhận (PDF)").click()
    with open(certificate.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    with unit.expect_download() as form:
        unit.get_by_role("link", name="Mẫu báo cáo kết quả thực hiện tiêu chí").click()
    with open(form.value.path(), "rb") as f:
        assert f.read(2) == b"PK"
