"""A commune official on a phone does the unit's part; refusals are explained where they apply."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import journey
from tests.e2e import flow

PHONE_UNIT, PHONE_COMMUNE = "kdc-dien-thoai", "tay-nha-trang"  # wards of the 2026 structure
COMMUNE = "phuong-nha-trang"


@pytest.fixture(scope="module")
def commune(system):
    """The ward of this module's units (other than the phone's), in the directory."""
    flow.setup_campaign_and_commune(system, COMMUNE)
    return COMMUNE


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_on_a_phone_a_unit_registers_and_files_without_scrolling_sideways(people, phone_people):
    journey.admin_prepares(people.sign_in("admin"), PHONE_UNIT, PHONE_COMMUNE)
    unit = phone_people.sign_in("unit", PHONE_UNIT)
    assert fits_the_screen(unit)
    journey.unit_registers(unit)
    assert fits_the_screen(unit)
    unit.goto(f"/don-vi/ho-so?nam={journey.YEAR}")
    assert fits_the_screen(unit)
    journey.unit_files(unit, revision=1)
    assert fits_the_screen(unit)


def test_a_wrong_file_and_a_missing_figure_are_shown_next_to_their_fields(people, system, commune):
    unit_id = "kdc-loi-tep"
    flow.add_unit(system, unit_id, commune)
    r = system.api(
        "registration",
        "POST",
        "/late-exceptions",
        "admin",
        {"unit_id": unit_id, "year": flow.YEAR, "step": "registration", "reason": "Thử"},
    )
    assert r.status == 201, r.json
    page = people.sign_in("unit", unit_id)
    page.goto(f"/don-vi/dang-ky?nam={journey.YEAR}")
    field = page.get_by_label("Nghị quyết của cấp ủy Đảng")
    # The browser refuses the wrong type at once (before anything is sent) …
    field.set_input_files(
        {"name": "virus.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ"}
    )
    expect(page.locator("#c-in-file_party_resolution")).to_contain_text("không đúng loại")
    # … and registration's own refusal (figures missing) lands next to the figure.
    field.set_input_files(journey.pdf_file("nghi-quyet"))
    page.get_by_label("Bản đăng ký phấn đấu").set_input_files(journey.pdf_file("ban-dang-ky"))
    page.get_by_label("Số hộ gia đình đang cư trú").fill("40")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.locator("#f-figures-households_registered .field-error")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.title().startswith("Lỗi: ")
    # The files already sent are kept: only the missing figure needs typing.
    expect(page.get_by_text("Đã tải lên: nghi-quyet.pdf")).to_be_visible()
    page.get_by_label("Số hộ gia đình đã đăng ký tham gia").fill("40")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_text(f"Đã ghi nhận đăng ký phấn đấu năm {journey.YEAR}")).to_be_visible()


def test_a_reviewer_acting_on_a_case_changed_meanwhile_is_told_and_sees_the_new_state(
    people, system, commune
):
    unit_id = "kdc-xung-dot"
    flow.add_unit(system, unit_id, commune)
    flow.register_late(system, unit_id)
    criteria = flow.criteria_of(system)
    flow.case_in_review(system, unit_id, "registered")
    flow.submit_dossier(system, unit_id, criteria)
    flow.case_in_review(system, unit_id, "dossier_submitted")
    first, second = people.sign_in("reviewer"), people.sign_in("reviewer")
    journey.open_case(first, unit_id)
    journey.open_case(second, unit_id)
    journey.reviewer_returns(second, unit_id)
    first.get_by_label("Lý do (mỗi dòng một lý do)").fill("Thiếu báo cáo")
    first.get_by_label("Hạn nộp lại").fill("28/11/2026")
    first.get_by_role("button", name="Trả lại hồ sơ").click()
    expect(first.locator("#error-summary")).to_contain_text("người khác thay đổi")
    expect(first.get_by_text("Trả lại để bổ sung").first).to_be_visible()


def test_the_reviewer_who_recommended_cannot_decide_and_is_told_why(people, system, commune):
    unit_id = "kdc-bon-mat"
    flow.add_unit(system, unit_id, commune)
    flow.register_late(system, unit_id)
    criteria = flow.criteria_of(system)
    flow.case_in_review(system, unit_id, "registered")
    flow.submit_dossier(system, unit_id, criteria)
    case = flow.case_in_review(system, unit_id, "dossier_submitted")
    # The commune's chairman also signed the recommendation (same person, `sub`).
    from shared.auth import mint_token
    from shared.config import DEV_JWT_SECRET

    same = mint_token(DEV_JWT_SECRET, "reviewer", f"approver-{commune}", None, "nha-trang")
    r = system.api(
        "review",
        "POST",
        f"/cases/{unit_id}/{flow.YEAR}/recommendation",
        token=same,
        body={
            "recommendation": "achieved",
            "expected_version": case["version"],
            "findings": [{"criterion_id": c, "met": True, "note": ""} for c in criteria],
        },
    )
    assert r.status == 201, r.json
    approver = people.sign_in("commune-approver", commune)
    approver.goto(f"/ho-so/{unit_id}/{journey.YEAR}")
    expect(approver.get_by_text("Nguyên tắc bốn mắt")).to_be_visible()
    approver.get_by_label("Công nhận đạt tiêu chuẩn").check()
    approver.get_by_label("Số quyết định").fill("9/QĐ-UBND")
    approver.get_by_role("button", name="Ghi quyết định").click()
    expect(approver.locator("#error-summary")).to_contain_text("không được tự quyết định")


def test_a_reviewer_records_an_incident_and_an_approver_annuls_a_recognition(
    people, system, commune
):
    unit_id = "kdc-huy"
    flow.add_unit(system, unit_id, commune)
    flow.register_late(system, unit_id)
    criteria = flow.criteria_of(system)
    flow.case_in_review(system, unit_id, "registered")
    flow.submit_dossier(system, unit_id, criteria)
    flow.case_in_review(system, unit_id, "dossier_submitted")

    reviewer = people.sign_in("reviewer")
    journey.open_case(reviewer, unit_id)
    reviewer.get_by_label("Ngày xảy ra (ngày/tháng/năm)").fill("02/10/2026")
    reviewer.get_by_label("Mô tả").fill("Trộm cắp xe máy tại tổ 3")
    reviewer.get_by_role("button", name="Ghi nhận vụ việc").click()
    expect(reviewer.get_by_text("Đã ghi nhận vụ việc")).to_be_visible()
    expect(reviewer.get_by_text("Trộm cắp xe máy tại tổ 3")).to_be_visible()

    flow.recommend_and_decide(system, unit_id, criteria, "77/QĐ-UBND")
    approver = people.sign_in("commune-approver", commune)
    approver.goto(f"/ho-so/{unit_id}/{journey.YEAR}")
    approver.get_by_label("Lý do hủy").fill("Phát hiện khai báo sai số liệu")
    approver.get_by_role("button", name="Hủy quyết định").click()
    expect(approver.get_by_text("Đã hủy quyết định công nhận")).to_be_visible()
    expect(approver.get_by_text("Phát hiện khai báo sai số liệu")).to_be_visible()


def test_the_sign_in_page_works_with_the_keyboard_alone(browser, portal):
    context = browser.new_context(base_url=portal)
    try:
        page = context.new_page()
        page.goto("/dang-nhap")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
        page.get_by_label("Mã đơn vị").focus()
        page.keyboard.type("kdc-ban-phim")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Đơn vị: kdc-ban-phim")).to_be_visible()
    finally:
        context.close()
