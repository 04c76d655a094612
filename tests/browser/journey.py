"""Steps of a year as people click through them in the portal (shared by the browser tests)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.unit.registration.files import pdf

YEAR = 2026
WAIT_MS = 60_000


def pdf_file(name: str) -> dict:
    return {"name": f"{name}.pdf", "mimeType": "application/pdf", "buffer": pdf(name)}


def admin_prepares(page: Page, unit_id: str, commune: str) -> None:
    """Calendar, the commune and the unit in the directory, a late registration allowed."""
    page.goto(f"/quan-tri/lich?nam={YEAR}")
    page.get_by_role("button", name="Lưu lịch đợt").click()
    expect(page.get_by_text(f"Đã lưu lịch đợt năm {YEAR}")).to_be_visible()
    add_unit(
        page, commune, f"Phường {commune}", "commune", commune, "province"
    )  # no district since 1/7/2025
    add_unit(page, unit_id, f"Khu dân cư {unit_id}", "residential_area", commune, "commune")
    page.goto(f"/quan-tri/ngoai-le?nam={YEAR}")
    page.get_by_label("Mã đơn vị").fill(unit_id)
    page.get_by_label("Lý do").fill("Đơn vị mới thành lập, đăng ký muộn")
    page.get_by_role("button", name="Cho phép").click()
    expect(page.get_by_text(f"Đã cho phép {unit_id} nộp muộn")).to_be_visible()


def add_unit(page: Page, unit_id, name, unit_type, commune, level) -> None:
    page.goto("/quan-tri/don-vi/moi")
    page.get_by_label("Mã đơn vị").fill(unit_id)
    page.get_by_label("Tên đơn vị").fill(name)
    page.get_by_label("Loại đơn vị").select_option(unit_type)
    page.get_by_label("Mã xã, phường").fill(commune)
    page.get_by_label("Cấp quản lý trực tiếp").select_option(level)
    page.get_by_label("Thư điện tử liên hệ").fill(f"{unit_id}@example.vn")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text(f"Đã thêm đơn vị {unit_id}")).to_be_visible()


def unit_registers(page: Page) -> None:
    page.goto(f"/don-vi?nam={YEAR}")
    page.get_by_role("link", name="Đăng ký phấn đấu").click()
    page.get_by_label("Nghị quyết của cấp ủy Đảng").set_input_files(pdf_file("nghi-quyet"))
    page.get_by_label("Bản đăng ký phấn đấu").set_input_files(pdf_file("ban-dang-ky"))
    page.get_by_label("Số hộ gia đình đang cư trú").fill("40")
    page.get_by_label("Số hộ gia đình đã đăng ký tham gia").fill("38")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_text(f"Đã ghi nhận đăng ký phấn đấu năm {YEAR}")).to_be_visible()
    # The accepted step shows at once; the timeline updates itself once review has it.
    expect(page.locator("#year-status")).not_to_have_attribute(
        "hx-get", re.compile("."), timeout=WAIT_MS
    )
    expect(page.get_by_role("link", name="Nộp hồ sơ đề nghị công nhận")).to_be_visible()


def unit_files(page: Page, revision: int) -> None:
    page.goto(f"/don-vi?nam={YEAR}")
    page.locator("a.button").first.click()
    page.get_by_label("Tờ trình đề nghị công nhận").set_input_files(pdf_file("to-trinh"))
    page.get_by_label("Báo cáo kết quả thực hiện các tiêu chí").set_input_files(pdf_file("bao-cao"))
    page.get_by_label("Biên bản cuộc họp đánh giá").set_input_files(pdf_file("bien-ban"))
    for radio in page.get_by_role("radio", name="Đạt", exact=True).all():
        radio.check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text(f"Đã nhận hồ sơ đề nghị lần {revision}")).to_be_visible()
    expect(page.locator("#year-status")).not_to_have_attribute(
        "hx-get", re.compile("."), timeout=WAIT_MS
    )
    expect(page.locator("li.current, li.done").filter(has_text="Nộp hồ sơ đề nghị")).to_have_count(
        1
    )


def open_case(page: Page, unit_id: str) -> None:
    page.goto(f"/tham-dinh?nam={YEAR}")
    page.get_by_role("link", name=f"Khu dân cư {unit_id}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Khu dân cư {unit_id}")


def reviewer_opens_a_document(page: Page, unit_id: str, name: str) -> None:
    """A cited document opens through the portal, with the reviewer's own right to see it."""
    open_case(page, unit_id)
    href = page.get_by_role("link", name=name).get_attribute("href")
    opened = page.request.get(href)
    assert opened.status == 200 and opened.body().startswith(b"%PDF")
    assert opened.headers["content-type"] == "application/pdf"


def reviewer_returns(page: Page, unit_id: str) -> None:
    open_case(page, unit_id)
    page.get_by_label("Lý do (mỗi dòng một lý do)").fill("Biên bản thiếu chữ ký")
    page.get_by_label("Hạn nộp lại").fill("27/11/2026")
    page.get_by_role("button", name="Trả lại hồ sơ").click()
    expect(page.get_by_text("Đã trả lại hồ sơ")).to_be_visible()


def reviewer_recommends(page: Page, unit_id: str) -> None:
    open_case(page, unit_id)
    for radio in (
        page.locator("#f-recommendation").get_by_role("radio", name="Đạt", exact=True).all()
    ):
        radio.check()
    page.get_by_role("button", name="Gửi kiến nghị").click()
    expect(page.get_by_text("Đã ghi kiến nghị")).to_be_visible()


def approver_decides_in_batch(page: Page, unit_id: str, number: str) -> None:
    """The draft decision downloads, then one batch decision over the case, with its report."""
    page.goto(f"/quyet-dinh?nam={YEAR}")
    with page.expect_download() as draft:
        page.get_by_role("link", name="DOCX", exact=True).click()
    assert draft.value.suggested_filename.endswith(".docx")
    with open(draft.value.path(), "rb") as f:
        assert f.read(2) == b"PK"  # a zip container, as every DOCX is
    page.get_by_role("link", name="Quyết định công nhận chung nhiều hồ sơ").click()
    expect(page.get_by_label(f"Khu dân cư {unit_id}", exact=False)).to_be_checked()
    page.get_by_label("Số quyết định").fill(number)
    page.get_by_role("button", name="Ghi quyết định công nhận").click()
    expect(page.get_by_role("heading", name=f"Kết quả quyết định số {number}")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=f"Khu dân cư {unit_id}")
    expect(row).to_contain_text("Đã công nhận")


def auditor_sees_recognised(page: Page, unit_id: str) -> None:
    row = page.get_by_role("row").filter(has_text=f"Khu dân cư {unit_id}")
    for _ in range(60):
        page.goto(f"/bao-cao?nam={YEAR}")
        if row.count() and "Được công nhận" in row.inner_text():
            return
        page.wait_for_timeout(1000)
    expect(row).to_contain_text("Được công nhận")
