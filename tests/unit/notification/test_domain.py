"""Which template each step uses, what the unit reads, and ids that never repeat a notification."""

from __future__ import annotations

import pytest

from services.notification.domain import notification as domain
from services.notification.domain.notification import (
    NO_ADDRESS,
    Recipient,
    notification_for,
    notification_id,
    outcome_event,
)
from shared.events.notification import NotificationFailed, NotificationSent
from tests.unit.notification.feeding import (
    TRIGGERS,
    annulled,
    decided,
    incident,
    recommended,
    registered,
    returned,
    submitted,
)

LOC_THO = Recipient("loc-tho", "Phường Lộc Thọ", "ubnd.loctho@example.vn", "nha-trang")


def make(event, recipient=LOC_THO, cause="cause-1"):
    return notification_for(type(event).__name__, event, cause, recipient)


def test_each_step_of_a_case_has_its_own_template():
    assert domain.TEMPLATES == {
        "UnitRegistered": "registration_received",
        "DossierSubmitted": "dossier_received",
        "DossierReturned": "dossier_returned",
        "RecommendationMade": "recommendation_made",
        "RecognitionDecided": "recognition_decided",
        "RecognitionAnnulled": "recognition_annulled",
    }


@pytest.mark.parametrize("event_type", TRIGGERS)
def test_each_step_tells_the_unit_in_vietnamese_naming_unit_year_and_step(event_type):
    _, _, factory, subject = TRIGGERS[event_type]
    note = make(factory())
    assert note.subject == subject
    assert note.body.startswith("Kính gửi: Phường Lộc Thọ\n")
    assert "2026" in note.body
    assert note.template == domain.TEMPLATES[event_type]
    assert (note.recipient, note.channel, note.year) == ("ubnd.loctho@example.vn", "email", 2026)
    assert (note.cause_event_id, note.cause_event_type) == ("cause-1", event_type)


def test_a_returned_dossier_names_every_reason_and_the_due_date():
    body = make(returned()).body
    assert "- Thiếu biên bản cuộc họp\n- Báo cáo chưa có chữ ký" in body
    assert "trước ngày 15/12/2026" in body


def test_a_decision_names_its_number_and_date():
    body = make(decided()).body
    assert "Ngày 28/12/2026" in body
    assert "Quyết định số 125/QĐ-UBND công nhận đơn vị đạt chuẩn" in body


def test_a_refusal_says_not_recognised_in_subject_and_body():
    note = make(decided(decision="not_recognized"))
    assert note.subject.startswith("Quyết định không công nhận đạt chuẩn ANTT năm 2026")
    assert "125/QĐ-UBND không công nhận" in note.body


def test_a_recommendation_lists_the_criteria_not_met():
    body = make(recommended(recommendation="not_achieved")).body
    assert "chưa đạt chuẩn" in body
    assert "- CW-4: 16/25 đơn vị được công nhận" in body
    assert "CW-1" not in body


def test_an_annulment_gives_the_decision_number_and_reason():
    body = make(annulled()).body
    assert "Quyết định số 125/QĐ-UBND" in body and "Lý do: Phát hiện sai phạm" in body


def test_a_resubmitted_dossier_says_which_resubmission_it_is():
    assert make(submitted(revision=2)).subject == (
        "Đã nhận hồ sơ đề nghị công nhận năm 2026 (nộp lại lần 1) – Phường Lộc Thọ"
    )


def test_events_without_a_template_notify_nobody():
    assert make(incident()) is None


def test_the_id_depends_only_on_the_cause_and_the_recipient():
    first, again = make(registered()), make(registered())
    assert first.notification_id == again.notification_id
    assert first.notification_id == notification_id("cause-1", "ubnd.loctho@example.vn")
    assert make(registered(), cause="cause-2").notification_id != first.notification_id
    other = Recipient("loc-tho", "Phường Lộc Thọ", "vanphong@example.vn", "nha-trang")
    assert make(registered(), recipient=other).notification_id != first.notification_id


def test_a_unit_unknown_to_the_directory_gets_a_notification_without_address():
    note = make(registered(), recipient=None)
    assert not note.deliverable and note.recipient == ""
    assert note.subject.endswith("– Phường Lộc Thọ")  # the name travels on UnitRegistered
    assert note.jurisdiction == "nha-trang"
    assert make(returned(), recipient=None).subject.endswith("– loc-tho")


def test_the_outcome_is_sent_without_error_and_failed_with_its_reason():
    note = make(registered())
    sent, failed = outcome_event(note, None), outcome_event(note, NO_ADDRESS)
    assert type(sent) is NotificationSent and sent.error is None
    assert type(failed) is NotificationFailed and failed.error == "không có địa chỉ e-mail"
    assert failed.notification_id == note.notification_id and failed.unit_id == "loc-tho"
