"""Who hears of each step, ids that never repeat a notification, and the retry policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notification.domain import notification as domain
from services.notification.domain.delivery import FAILED, PENDING, SENT, RetryPolicy, after_attempt
from services.notification.domain.notification import (
    Mailbox,
    Recipient,
    drafts_for,
    notification_id,
    outcome_event,
)
from shared.events.notification import NotificationFailed, NotificationSent
from tests.unit.notification.feeding import (
    TRIGGERS,
    incident,
    recommended,
    registered,
    returned,
    submitted,
)

LOC_THO = Recipient("loc-tho", "Phường Lộc Thọ", "ubnd.loctho@example.vn", "nha-trang")
OFFICIALS = {
    "reviewer": [Mailbox("Thường trực BCĐ", "tt@example.vn"), Mailbox("Cán bộ B", "b@example.vn")],
    "approver": [Mailbox("Chủ tịch UBND", "ct@example.vn")],
}


def make(event, recipient=LOC_THO, cause="cause-1", officials=None):
    return drafts_for(type(event).__name__, event, cause, recipient, officials or OFFICIALS)


def test_each_step_of_a_case_has_its_own_template_for_the_unit():
    assert domain.TEMPLATES == {
        "UnitRegistered": "registration_received",
        "DossierSubmitted": "dossier_received",
        "DossierReturned": "dossier_returned",
        "RecommendationMade": "recommendation_made",
        "RecognitionDecided": "recognition_decided",
        "RecognitionAnnulled": "recognition_annulled",
    }


@pytest.mark.parametrize("event_type", TRIGGERS)
def test_each_step_tells_the_unit_at_its_contact_address(event_type):
    _, _, factory, _ = TRIGGERS[event_type]
    unit_note = make(factory())[0]
    assert (unit_note.audience, unit_note.recipient) == ("unit", "ubnd.loctho@example.vn")
    assert (unit_note.cause_event_id, unit_note.cause_event_type) == ("cause-1", event_type)
    assert (unit_note.year, unit_note.jurisdiction) == (2026, "nha-trang")


def test_a_new_dossier_also_tells_every_reviewer_of_the_jurisdiction():
    notes = make(submitted())
    assert [(n.audience, n.template, n.recipient) for n in notes] == [
        ("unit", "dossier_received", "ubnd.loctho@example.vn"),
        ("reviewer", "dossier_queued", "tt@example.vn"),
        ("reviewer", "dossier_queued", "b@example.vn"),
    ]


def test_a_recommendation_also_tells_the_approver_of_the_authority():
    notes = make(recommended())
    assert [(n.audience, n.template, n.recipient) for n in notes] == [
        ("unit", "recommendation_made", "ubnd.loctho@example.vn"),
        ("approver", "decision_requested", "ct@example.vn"),
    ]


def test_events_without_a_template_notify_nobody():
    assert make(incident()) == []


def test_the_id_depends_only_on_the_cause_and_the_recipient():
    [first], [again] = make(registered()), make(registered())
    assert first.notification_id == again.notification_id
    assert first.notification_id == notification_id("cause-1", "ubnd.loctho@example.vn")
    assert make(registered(), cause="cause-2")[0].notification_id != first.notification_id
    other = Recipient("loc-tho", "Phường Lộc Thọ", "vanphong@example.vn", "nha-trang")
    assert make(registered(), recipient=other)[0].notification_id != first.notification_id


def test_a_unit_unknown_to_the_directory_gets_a_notification_without_address():
    [note] = make(registered(), recipient=None)
    assert not note.deliverable and note.recipient == ""
    assert note.facts["unit_name"] == "Phường Lộc Thọ"  # the name travels on UnitRegistered
    assert note.jurisdiction == "nha-trang"
    assert make(returned(), recipient=None)[0].facts["unit_name"] == "loc-tho"


def test_officials_without_a_mailbox_are_one_recipient_without_address():
    notes = make(submitted(), officials={"reviewer": [], "approver": []})
    assert [(n.audience, n.recipient) for n in notes] == [
        ("unit", "ubnd.loctho@example.vn"),
        ("reviewer", ""),
    ]


def test_the_outcome_is_sent_without_error_and_failed_with_its_reason():
    class Row:
        notification_id, unit_id, year, template, channel = "n-1", "loc-tho", 2026, "t", "email"
        recipient, cause_event_id, reminder_key, subject = "a@b.vn", "c-1", None, "Tiêu đề"

    sent, failed = outcome_event(Row, None, 1), outcome_event(Row, "hỏng", 3)
    assert type(sent) is NotificationSent and sent.error is None and sent.subject == "Tiêu đề"
    assert type(failed) is NotificationFailed and (failed.error, failed.attempts) == ("hỏng", 3)


NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
POLICY = RetryPolicy(base_s=30, max_attempts=4)


def test_retries_back_off_exponentially_until_the_last_attempt_fails_for_good():
    waits = [after_attempt(POLICY, n, "down", False, NOW) for n in (1, 2, 3)]
    assert [s.status for s in waits] == [PENDING] * 3
    assert [s.retry_at - NOW for s in waits] == [timedelta(seconds=s) for s in (30, 60, 120)]
    assert after_attempt(POLICY, 4, "down", False, NOW).status == FAILED


def test_a_permanent_refusal_is_not_tried_again_and_success_is_sent():
    assert after_attempt(POLICY, 1, "550 no such user", True, NOW).status == FAILED
    assert after_attempt(POLICY, 2, None, False, NOW).status == SENT
