"""The sender against a real SMTP server: one message, attempts recorded, backoff, giving up."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from services.notification.adapters import repository as repo
from services.notification.adapters.devsmtp import MailFolder
from services.notification.adapters.tables import attempts, notifications
from services.notification.bootstrap import sender
from shared.clock import iso_utc
from tests.unit.notification.feeding import decided, registered, submitted
from tests.unit.notification.mailbox import messages, parts
from tests.unit.notification.test_consumer import published


def records(rt):
    with rt.engine.connect() as conn:
        return {r.recipient: r for r in conn.execute(sa.select(notifications))}


def every_record(rt):
    with rt.engine.connect() as conn:
        return conn.execute(sa.select(notifications)).all()


def attempt_log(rt):
    with rt.engine.connect() as conn:
        rows = conn.execute(sa.select(attempts).order_by(attempts.c.attempt))
        return [(r.attempt, r.outcome) for r in rows]


def claim_now(sender_):
    """What one sender's pass would take: the claim alone, nothing sent or recorded."""
    now = sender_.parts.clock.now()
    until = now + timedelta(seconds=sender_.parts.mail.claim_lease_s)
    with sender_.engine.begin() as conn:
        return repo.claim_due(conn, iso_utc(now), iso_utc(until))


def test_a_pending_notification_is_sent_once_as_a_vietnamese_multipart_mail(
    feed, rt, smtp, mail_dir, outbox_sender
):
    feed.unit()
    feed.emit("registration", "case-loc-tho-2026", registered())
    assert outbox_sender.send_due() == 1
    assert outbox_sender.send_due() == 0
    [mail] = messages(mail_dir)
    assert mail["Delivered-To"] == "ubnd.loctho@example.vn"
    assert mail["To"] == "Phường Lộc Thọ <ubnd.loctho@example.vn>"
    assert mail["Subject"] == "Đã nhận đăng ký phấn đấu đạt chuẩn ANTT năm 2026 – Phường Lộc Thọ"
    plain, html = parts(mail)
    assert "https://antt.example.vn/api/v1/cases/loc-tho/2026" in plain
    assert '<a href="https://antt.example.vn/api/v1/cases/loc-tho/2026">' in html
    [row] = records(rt).values()
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)
    assert mail["Message-ID"] == f"<{row.notification_id}@antt.local>"
    assert attempt_log(rt) == [(1, "sent")]
    [(_, key, env)] = published(rt)
    assert (env.event_type, key, env.payload["attempts"]) == ("NotificationSent", "loc-tho", 1)
    assert env.payload["subject"] == row.subject


def test_smtp_down_for_a_while_is_retried_with_backoff_then_delivered_once(
    feed, rt, clock, mail_dir, smtp_port, outbox_sender
):
    feed.unit()
    feed.emit("registration", "case-loc-tho-2026", registered())
    assert outbox_sender.send_due() == 1  # nobody listens on the port yet
    [row] = records(rt).values()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in row.error
    assert outbox_sender.send_due() == 0  # not before the backoff has passed
    clock.advance(timedelta(seconds=60))
    from services.notification.adapters.devsmtp import DevSmtpServer

    server = DevSmtpServer(mail_dir, port=smtp_port).start()
    try:
        assert outbox_sender.send_due() == 1
    finally:
        server.stop()
    assert len(messages(mail_dir)) == 1
    [row] = records(rt).values()
    assert (row.status, row.attempts, row.error) == ("sent", 2, None)
    assert attempt_log(rt) == [(1, "failed"), (2, "sent")]


def test_smtp_down_for_good_fails_after_the_last_attempt_with_notification_failed(
    feed, rt, clock, outbox_sender
):
    feed.unit()
    feed.emit("registration", "case-loc-tho-2026", registered())
    for wait in (0, 60, 120):
        clock.advance(timedelta(seconds=wait))
        assert outbox_sender.send_due() == 1
    [row] = records(rt).values()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 3, None)
    clock.advance(timedelta(days=1))
    assert outbox_sender.send_due() == 0
    [(_, _, env)] = published(rt)
    assert (env.event_type, env.payload["attempts"]) == ("NotificationFailed", 3)
    assert "ConnectionRefusedError" in env.payload["error"]


class RefusesRecipients(MailFolder):
    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        return "550 5.1.1 Hộp thư không tồn tại"


def test_a_recipient_refused_for_good_is_failed_at_once(feed, rt, mail_dir, smtp_port):
    controller = Controller(RefusesRecipients(mail_dir), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        feed.unit()
        feed.emit("registration", "case-loc-tho-2026", registered())
        assert sender(rt).send_due() == 1
    finally:
        controller.stop()
    [row] = records(rt).values()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550" in row.error and messages(mail_dir) == []


def test_two_senders_never_both_claim_one_notification(feed, rt, smtp, mail_dir):
    feed.unit()
    feed.emit("registration", "case-loc-tho-2026", registered())
    first, second = sender(rt), sender(rt)
    [row] = records(rt).values()
    assert [r.notification_id for r in claim_now(first)] == [row.notification_id]
    assert claim_now(second) == []
    assert second.send_due() == 0


def test_a_sender_dying_after_the_send_makes_at_most_one_extra_copy(
    feed, rt, clock, smtp, mail_dir
):
    feed.unit()
    feed.emit("registration", "case-loc-tho-2026", registered())
    dying = sender(rt)
    [row] = claim_now(dying)
    dying.mailer.send(row, clock.now())  # ...and the process dies before recording it
    clock.advance(timedelta(seconds=rt.deps.mail.claim_lease_s + 1))
    assert sender(rt).send_due() == 1
    assert sender(rt).send_due() == 0
    assert len(messages(mail_dir)) == 2  # the documented worst case: one extra copy
    assert records(rt)["ubnd.loctho@example.vn"].status == "sent"


def test_officials_and_the_unit_each_get_their_own_message(feed, rt, smtp, mail_dir):
    feed.unit()
    feed.emit("registration", "case-loc-tho-2026", submitted())
    assert sender(rt).send_due() == 2
    delivered = sorted((m["Delivered-To"], m["Subject"]) for m in messages(mail_dir))
    assert delivered == [
        (
            "thuongtruc.antt@congan.nhatrang.example.vn",
            "Hồ sơ mới chờ thẩm định năm 2026 – Phường Lộc Thọ",
        ),
        ("ubnd.loctho@example.vn", "Đã nhận hồ sơ đề nghị công nhận năm 2026 – Phường Lộc Thọ"),
    ]


def test_a_long_vietnamese_subject_keeps_every_space_through_smtp(feed, rt, smtp, mail_dir):
    feed.unit("phuoc-hai", "Phường Phước Hải", "phuochai@example.vn")
    feed.emit("review", "review-phuoc-hai-2026", decided("phuoc-hai", "not_recognized"))
    sender(rt).send_due()
    [mail] = messages(mail_dir)
    assert mail["Subject"] == (
        "Quyết định không công nhận đạt chuẩn ANTT năm 2026 – Phường Phước Hải"
    )


class CountsConnections(MailFolder):
    """The development mail folder that also counts the SMTP connections it was greeted on."""

    def __init__(self, folder):
        super().__init__(folder)
        self.greetings = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.greetings += 1
        session.host_name = hostname
        return responses


class RefusesOneRecipient(CountsConnections):
    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address.startswith("ubnd."):
            return "550 5.1.1 Hộp thư không tồn tại"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def one_pass_of_two_steps(handler, port, feed, rt) -> int:
    """The unit registered and its dossier filed, then one pass of a sender against `handler`."""
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        feed.unit()
        feed.emit("registration", "case-loc-tho-2026", registered())
        feed.emit("registration", "case-loc-tho-2026", submitted())
        return sender(rt).send_due()
    finally:
        controller.stop()


def test_one_pass_of_the_sender_sends_its_messages_over_one_smtp_connection(
    feed, rt, mail_dir, smtp_port
):
    handler = CountsConnections(mail_dir)
    assert one_pass_of_two_steps(handler, smtp_port, feed, rt) == len(every_record(rt)) >= 2
    assert handler.greetings == 1
    assert len(messages(mail_dir)) == len(every_record(rt))
    assert {r.status for r in every_record(rt)} == {"sent"}


def test_a_refused_recipient_fails_alone_and_the_pass_goes_on_over_a_new_connection(
    feed, rt, mail_dir, smtp_port
):
    handler = RefusesOneRecipient(mail_dir)
    assert one_pass_of_two_steps(handler, smtp_port, feed, rt) == len(every_record(rt))
    refused = [r for r in every_record(rt) if r.recipient == "ubnd.loctho@example.vn"]
    others = [r for r in every_record(rt) if r.recipient != "ubnd.loctho@example.vn"]
    assert refused and {r.status for r in refused} == {"failed"}
    assert others and {r.status for r in others} == {"sent"}
    assert len(messages(mail_dir)) == len(others)
    assert handler.greetings <= 1 + len(refused)  # a new connection only after a refusal


class HangsOnceForAClaim(MailFolder):
    """Answers the first message only after a whole claim's time has passed."""

    def __init__(self, folder, clock, lease: timedelta):
        super().__init__(folder)
        self.clock, self.lease, self.hung = clock, lease, False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd name)
        if not self.hung:
            self.hung = True
            self.clock.advance(self.lease)
        return await super().handle_DATA(server, session, envelope)


def test_a_pass_that_outlives_its_claim_stops_and_a_later_pass_sends_the_rest_once(
    feed, rt, clock, mail_dir, smtp_port
):
    lease = timedelta(seconds=rt.deps.mail.claim_lease_s)
    controller = Controller(HangsOnceForAClaim(mail_dir, clock, lease), "127.0.0.1", smtp_port)
    controller.start()
    try:
        feed.unit()
        feed.emit("registration", "case-loc-tho-2026", registered())
        feed.emit("registration", "case-loc-tho-2026", submitted())
        total = len(every_record(rt))
        assert total >= 2
        assert sender(rt).send_due() == 1  # the rest of its claim may be another sender's now
        clock.advance(timedelta(seconds=1))
        assert sender(rt).send_due() == total - 1
    finally:
        controller.stop()
    assert len(messages(mail_dir)) == total
    assert {r.status for r in every_record(rt)} == {"sent"}
