"""FileMailer: one RFC 5322 file per notification id, whatever happens twice."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from services.notification.adapters.mailer import DeliveryFailed, FileMailer
from services.notification.domain.notification import Recipient, notification_for
from tests.unit.notification.feeding import returned

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
LOC_THO = Recipient("loc-tho", "Phường Lộc Thọ", "ubnd.loctho@example.vn", "nha-trang")


def a_notification():
    return notification_for("DossierReturned", returned(), "cause-1", LOC_THO)


def test_sending_the_same_notification_twice_keeps_one_file(tmp_path):
    mailer, note = FileMailer(tmp_path / "mail"), a_notification()
    mailer.send(note, AT)
    mailer.send(note, AT)
    assert [p.name for p in (tmp_path / "mail").iterdir()] == [f"{note.notification_id}.eml"]


def test_the_message_carries_the_vietnamese_subject_and_body_intact(tmp_path):
    mailer, note = FileMailer(tmp_path), a_notification()
    mailer.send(note, AT)
    raw = mailer.path_of(note.notification_id).read_bytes()
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    assert mail["Subject"] == note.subject
    assert mail["Date"] == "Tue, 01 Dec 2026 02:00:00 +0000"
    assert mail["X-ANTT-Template"] == "dossier_returned"
    assert mail.get_content() == note.body


def test_a_folder_that_cannot_be_written_is_a_delivery_failure(tmp_path):
    blocked = tmp_path / "mail"
    blocked.write_text("not a folder")
    with pytest.raises(DeliveryFailed):
        FileMailer(blocked).send(a_notification(), AT)
