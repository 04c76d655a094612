"""The consumer on SQLite: real envelopes in, pending records (never a send) and projections."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from services.notification.adapters.tables import campaigns, notifications, progress, recipients
from shared.envelope import Envelope
from shared.events.registration import UnitUpdated
from shared.messaging.consumer import DUPLICATE, HANDLED, IGNORED, IdempotentConsumer
from shared.messaging.parking import list_parked
from shared.persistence.tables import events, outbox
from tests.unit.notification.feeding import (
    TRIGGERS,
    campaign,
    incident,
    late_exception,
    recommended,
    registered,
    returned,
    submitted,
    unit_added,
)


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


@pytest.mark.parametrize("event_type", TRIGGERS)
def test_each_step_records_one_pending_notification_for_the_unit(feed, rt, event_type):
    producer, stream, factory, subject = TRIGGERS[event_type]
    feed.unit()
    cause, _ = feed.emit(producer, stream, factory())
    assert feed.outcome == HANDLED
    [row] = [r for r in rows(rt) if r.audience == "unit"]
    assert (row.status, row.recipient, row.subject) == (
        "pending",
        "ubnd.loctho@example.vn",
        subject,
    )
    assert (row.cause_event_id, row.cause_event_type, row.attempts) == (
        cause.event_id,
        event_type,
        0,
    )
    assert row.text_body.startswith("Kính gửi: Phường Lộc Thọ")
    # Nothing is sent inside the consumer's transaction: no outcome yet.
    assert published(rt) == []


def test_a_new_dossier_is_announced_to_the_jurisdictions_reviewers(feed, rt):
    feed.unit()
    feed.emit("registration", "case-loc-tho-2026", submitted())
    reviewers = [(r.template, r.recipient) for r in rows(rt) if r.audience == "reviewer"]
    assert reviewers == [("dossier_queued", "thuongtruc.antt@congan.nhatrang.example.vn")]


def test_a_recommendation_goes_to_the_approver_of_the_authority_that_decides(feed, rt):
    # In 2026 a ward is recognised by the province (configuration, not yet checked against the
    # amended Art. 10: the mail says so); a residential area of the former Vĩnh Hải by its ward.
    feed.unit()
    feed.unit("kdc-3", "Khu dân cư số 3", "kdc3@example.vn", unit_type="residential_area",
              commune_code="vinh-hai", managing_level="commune")  # fmt: skip
    feed.emit("review", "review-loc-tho-2026", recommended())
    feed.emit("review", "review-kdc-3-2026", recommended("kdc-3"))
    approvers = {r.unit_id: r for r in rows(rt) if r.audience == "approver"}
    assert {u: r.recipient for u, r in approvers.items()} == {
        "kdc-3": "chutich.bac-nha-trang@khanhhoa.example.vn",
        "loc-tho": "chutich.ubnd@khanhhoa.example.vn",
    }
    assert "thẩm quyền theo cấu hình chưa được đối chiếu văn bản" in approvers["loc-tho"].text_body
    assert "chưa được đối chiếu" not in approvers["kdc-3"].text_body


def test_the_same_record_delivered_twice_makes_nothing_more(feed, rt):
    feed.unit()
    _, record = feed.emit("registration", "case-loc-tho-2026", submitted())
    assert feed.consumer.consume(record) == DUPLICATE
    assert len(rows(rt)) == 2


def test_a_cause_seen_by_a_second_consumer_does_not_notify_again(feed, rt):
    feed.unit()
    _, record = feed.emit("registration", "case-loc-tho-2026", registered())
    # Another inbox (e.g. a renamed consumer group reading from the start) sees the same event.
    again = IdempotentConsumer("antt-notification-replay", rt.engine, rt.handlers, rt.clock)
    assert again.consume(record) == HANDLED
    assert len(rows(rt)) == 1


def test_an_event_about_a_unit_not_yet_in_the_directory_waits_for_it(feed, rt):
    feed.emit("review", "review-loc-tho-2026", returned())
    assert feed.outcome == "parked" and rows(rt) == []
    feed.unit()  # the unit's entry arrives later, on the other topic
    [row] = rows(rt)
    assert (row.status, row.recipient) == ("pending", "ubnd.loctho@example.vn")
    [waited] = list_parked(rt.engine, status=None)
    assert (waited["waiting_for"], waited["status"]) == ("unit-loc-tho", "replayed")


def test_a_unit_without_contact_email_is_recorded_as_failed(feed, rt):
    feed.unit(email="")
    feed.emit("registration", "case-loc-tho-2026", registered())
    [row] = rows(rt)
    assert (row.status, row.error) == ("failed", "không có địa chỉ e-mail")


def test_the_directory_follows_unit_updates(feed, rt):
    feed.unit()
    moved = unit_added("loc-tho", "Phường Lộc Thọ", "moi@example.vn", cls=UnitUpdated)
    feed.emit("registration", "unit-loc-tho", moved)
    [entry] = rows(rt, recipients)
    assert (entry.contact_email, entry.jurisdiction, entry.managing_level) == (
        "moi@example.vn",
        "nha-trang",
        "district",
    )
    feed.emit("registration", "case-loc-tho-2026", registered())
    assert rows(rt)[0].recipient == "moi@example.vn"


def test_incidents_notify_nobody(feed, rt):
    feed.unit()
    feed.emit("review", "incident-i-1", incident())
    assert feed.outcome == IGNORED
    assert rows(rt) == [] and published(rt) == []


def test_the_calendar_and_each_units_progress_are_kept_for_the_scheduler(feed, rt):
    feed.unit()
    feed.emit("registration", "campaign-2026", campaign())
    feed.emit("registration", "late-loc-tho", late_exception())
    feed.emit("registration", "case-loc-tho-2026", registered())
    feed.emit("registration", "case-loc-tho-2026", submitted())
    feed.emit("review", "review-loc-tho-2026", returned(due=date(2026, 12, 20)))
    [cal] = rows(rt, campaigns)
    assert (cal.registration_deadline, cal.dossier_deadline) == (
        date(2026, 3, 31),
        date(2026, 11, 30),
    )
    [p] = rows(rt, progress)
    assert (p.registered, p.dossier_revision, p.returned_revision, p.return_due) == (
        True,
        1,
        1,
        date(2026, 12, 20),
    )
    assert p.registration_until == date(2026, 4, 15)


def test_the_registration_mail_names_the_next_deadline_from_the_calendar(feed, rt):
    feed.unit()
    feed.emit("registration", "campaign-2026", campaign())
    feed.emit("registration", "case-loc-tho-2026", registered())
    [row] = rows(rt)
    assert "nộp hồ sơ đề nghị công nhận chậm nhất ngày 30/11/2026" in row.text_body
