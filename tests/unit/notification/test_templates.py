"""The Jinja2 templates: Vietnamese subject, text and HTML naming unit, year, deadline, link."""

from __future__ import annotations

from datetime import date

import pytest

from services.notification.adapters.templates import Renderer
from services.notification.domain.notification import (
    Recipient,
    drafts_for,
    reminder_draft,
)
from services.notification.domain.reminders import Reminder
from tests.unit.notification.feeding import TRIGGERS, decided, recommended, returned, submitted

RENDER = Renderer("https://antt.example.vn/api/v1/").render
LOC_THO = Recipient("loc-tho", "Phường Lộc Thọ", "ubnd.loctho@example.vn", "nha-trang")
LINK = "https://antt.example.vn/api/v1/cases/loc-tho/2026"


def unit_text(event, unit=LOC_THO):
    draft = drafts_for(type(event).__name__, event, "c-1", unit, {})[0]
    return RENDER(draft)


@pytest.mark.parametrize("event_type", TRIGGERS)
def test_every_step_names_the_unit_year_and_link_in_all_three_parts(event_type):
    _, _, factory, subject = TRIGGERS[event_type]
    got_subject, text, html = unit_text(factory())
    assert got_subject == subject
    assert text.startswith("Kính gửi: Phường Lộc Thọ\n") and "2026" in text
    assert f"Xem hồ sơ: {LINK}" in text
    assert f'<a href="{LINK}">' in html and "Phường Lộc Thọ" in html
    assert html.startswith("<!DOCTYPE html>") and '<html lang="vi">' in html


def test_a_returned_dossier_names_every_reason_and_the_due_date():
    _, text, html = unit_text(returned())
    assert "- Thiếu biên bản cuộc họp\n- Báo cáo chưa có chữ ký" in text
    assert "trước ngày 15/12/2026" in text
    assert "<li>Thiếu biên bản cuộc họp</li>" in html


def test_a_decision_names_its_number_and_date_and_a_refusal_says_so():
    _, text, _ = unit_text(decided())
    assert "Ngày 28/12/2026" in text and "Quyết định số 125/QĐ-UBND công nhận" in text
    subject, text, _ = unit_text(decided(decision="not_recognized"))
    assert subject.startswith("Quyết định không công nhận đạt chuẩn ANTT năm 2026")


def test_a_recommendation_lists_the_criteria_not_met():
    _, text, _ = unit_text(recommended(recommendation="not_achieved"))
    assert "chưa đạt chuẩn" in text and "- CW-4: 16/25 đơn vị được công nhận" in text
    assert "CW-1" not in text


def test_a_resubmitted_dossier_says_which_resubmission_it_is():
    subject, _, _ = unit_text(submitted(revision=2))
    assert subject == "Đã nhận hồ sơ đề nghị công nhận năm 2026 (nộp lại lần 1) – Phường Lộc Thọ"


def test_html_escapes_what_people_typed_and_plain_text_keeps_it_as_typed():
    sly = Recipient("loc-tho", 'Khu <b>"A"</b> & B', "a@example.vn", "nha-trang")
    _, text, html = unit_text(returned(), sly)
    assert 'Khu <b>"A"</b> & B' in text
    assert "Khu &lt;b&gt;&#34;A&#34;&lt;/b&gt; &amp; B" in html and "<b>" not in html


def test_a_reminder_names_the_deadline_and_the_days_left():
    reminder = Reminder("loc-tho", 2026, "dossier", 3, date(2026, 11, 30), 0)
    subject, text, _ = RENDER(reminder_draft(reminder, LOC_THO))
    assert subject == (
        "Nhắc hạn nộp hồ sơ đề nghị công nhận năm 2026 (30/11/2026) – Phường Lộc Thọ"
    )
    assert "Hạn nộp hồ sơ là ngày 30/11/2026 (hôm nay là hạn cuối)" in text
    overdue = Reminder("loc-tho", 2026, "overdue", 0, date(2026, 12, 15), -4, 1)
    subject, text, _ = RENDER(reminder_draft(overdue, LOC_THO))
    assert subject.startswith("Quá hạn nộp lại hồ sơ năm 2026 (hạn 15/12/2026)")
    assert "nay đã quá hạn 4 ngày" in text
