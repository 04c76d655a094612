"""The consumer on SQLite: real envelopes in, one notification, one .eml and one event out."""

from __future__ import annotations

import email
import email.policy

import pytest
import sqlalchemy as sa

from services.notification.adapters.tables import notifications, recipients
from shared.envelope import Envelope
from shared.events.registration import UnitUpdated
from shared.messaging.consumer import DUPLICATE, HANDLED, IGNORED, IdempotentConsumer
from shared.persistence.tables import events, outbox
from tests.unit.notification.feeding import TRIGGERS, incident, registered, returned, unit_added


def rows(rt, table=notifications):
    with rt.engine.connect() as conn:
        return list(conn.execute(sa.select(table)))


def published(rt):
    """What notification's relay would publish: (topic, key, envelope) in log order."""
    with rt.engine.connect() as conn:
        found = conn.execute(
            sa.select(outbox.c.topic, outbox.c.key, events.c.envelope)
            .join(events, events.c.position == outbox.c.position)
            .order_by(outbox.c.position)
        )
        return [(r.topic, r.key, Envelope.from_bytes(r.envelope.encode())) for r in found]


def read_mail(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


@pytest.mark.parametrize("event_type", TRIGGERS)
def test_each_step_sends_one_email_to_the_units_contact_address(feed, rt, mail_dir, event_type):
    producer, stream, factory, subject = TRIGGERS[event_type]
    feed.unit()
    cause, _ = feed.emit(producer, stream, factory())
    assert feed.outcome == HANDLED
    [row] = rows(rt)
    assert (row.status, row.recipient, row.subject) == ("sent", "ubnd.loctho@example.vn", subject)
    assert (row.cause_event_id, row.cause_event_type) == (cause.event_id, event_type)
    [path] = mail_dir.glob("*.eml")
    assert path.name == f"{row.notification_id}.eml"
    mail = read_mail(path)
    assert (mail["To"], mail["Subject"]) == ("ubnd.loctho@example.vn", subject)
    assert mail.get_content().startswith("Kính gửi: Phường Lộc Thọ")


def test_the_eml_file_is_an_rfc5322_message_in_utf8_with_crlf_lines(feed, mail_dir):
    feed.unit()
    feed.emit("registration", "case-loc-tho-2026", registered())
    [path] = mail_dir.glob("*.eml")
    raw = path.read_bytes()
    assert b"\r\n\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    mail = read_mail(path)
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail["Message-ID"] == f"<{path.stem}@antt.local>"


def test_the_same_record_delivered_twice_makes_nothing_more(feed, rt, mail_dir):
    feed.unit()
    _, record = feed.emit("registration", "case-loc-tho-2026", registered())
    assert feed.consumer.consume(record) == DUPLICATE
    assert len(rows(rt)) == 1 and len(list(mail_dir.glob("*.eml"))) == 1
    assert [e.event_type for _, _, e in published(rt)] == ["NotificationSent"]


def test_a_cause_seen_by_a_second_consumer_does_not_notify_again(feed, rt, mail_dir):
    feed.unit()
    _, record = feed.emit("registration", "case-loc-tho-2026", registered())
    # Another inbox (e.g. a renamed consumer group reading from the start) sees the same event.
    again = IdempotentConsumer("antt-notification-replay", rt.engine, rt.handlers, rt.clock)
    assert again.consume(record) == HANDLED
    assert len(rows(rt)) == 1 and len(list(mail_dir.glob("*.eml"))) == 1
    assert len(published(rt)) == 1


def test_a_unit_unknown_to_the_directory_is_recorded_as_failed(feed, rt, mail_dir):
    feed.emit("review", "review-loc-tho-2026", returned())
    [row] = rows(rt)
    assert (row.status, row.error, row.recipient) == ("failed", "không có địa chỉ e-mail", "")
    assert row.sent_at is None and row.attempts == 1
    assert not list(mail_dir.glob("*.eml"))
    [(_, key, env)] = published(rt)
    assert (env.event_type, key, env.payload["error"]) == (
        "NotificationFailed",
        "loc-tho",
        "không có địa chỉ e-mail",
    )


def test_a_unit_without_contact_email_is_recorded_as_failed(feed, rt):
    feed.unit(email="")
    feed.emit("registration", "case-loc-tho-2026", registered())
    [row] = rows(rt)
    assert (row.status, row.error) == ("failed", "không có địa chỉ e-mail")


def test_notification_sent_lands_in_the_outbox_keyed_by_unit_id(feed, rt):
    feed.unit()
    cause, _ = feed.emit("registration", "case-loc-tho-2026", registered())
    [row] = rows(rt)
    [(topic, key, env)] = published(rt)
    assert (topic, key, env.event_type) == ("antt.notification", "loc-tho", "NotificationSent")
    assert env.stream_id == f"notification-{row.notification_id}"
    assert (env.producer, env.unit_id, env.year) == ("notification", "loc-tho", 2026)
    assert env.actor == {"sub": "system:notification", "role": "system"}
    assert (env.causation_id, env.correlation_id) == (cause.event_id, cause.correlation_id)
    assert env.payload["template"] == "registration_received"
    assert env.payload["recipient"] == "ubnd.loctho@example.vn"


def test_the_directory_follows_unit_updates(feed, rt):
    feed.unit()
    moved = unit_added("loc-tho", "Phường Lộc Thọ", "moi@example.vn", cls=UnitUpdated)
    feed.emit("registration", "unit-loc-tho", moved)
    [entry] = rows(rt, recipients)
    assert (entry.contact_email, entry.jurisdiction, entry.unit_type) == (
        "moi@example.vn",
        "nha-trang",
        "commune",
    )
    feed.emit("registration", "case-loc-tho-2026", registered())
    assert rows(rt)[0].recipient == "moi@example.vn"


def test_incidents_and_directory_entries_notify_nobody(feed, rt):
    feed.unit()
    feed.emit("review", "incident-i-1", incident())
    assert feed.outcome == IGNORED
    assert rows(rt) == [] and published(rt) == []


def test_a_mailer_that_cannot_write_records_the_failure_with_its_reason(feed, rt, mail_dir):
    mail_dir.parent.mkdir(parents=True, exist_ok=True)
    mail_dir.write_text("a file where the mail folder should be")
    feed.unit()
    feed.emit("registration", "case-loc-tho-2026", registered())
    [row] = rows(rt)
    assert row.status == "failed" and row.error.startswith("không ghi được thư")
    assert published(rt)[0][2].event_type == "NotificationFailed"
