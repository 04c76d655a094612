"""The sender: claims a pass of due notifications, sends each outside any transaction, records
each attempt in its own.

A crash after the SMTP server took a message but before its attempt is recorded lets the claim
run out, and the message is sent once more: at most one extra copy per crash, never a loss (the
rest of the pass waits for its claim to run out too, then goes out)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from opentelemetry.trace import SpanKind

from services.notification.adapters import repository as repo
from services.notification.adapters.mailer import DeliveryFailed, Mailer
from services.notification.domain.delivery import PENDING, SENT, RetryPolicy, after_attempt
from services.notification.service_layer.records import Parts, finish
from shared.clock import iso_utc
from shared.observability import logs, tracing
from shared.observability.metrics import MAILS
from shared.persistence.event_store import Context

log = logging.getLogger(__name__)


@dataclass
class Sender:
    engine: sa.Engine
    parts: Parts
    mailer: Mailer

    @property
    def policy(self) -> RetryPolicy:
        return RetryPolicy(self.parts.mail.retry_base_s, self.parts.mail.retry_max_attempts)

    def send_due(self, limit: int = 20) -> int:
        """One pass: up to `limit` due notifications, claimed in one statement, one attempt each."""
        now = self.parts.clock.now()
        until = now + timedelta(seconds=self.parts.mail.claim_lease_s)
        with self.engine.begin() as conn:
            records = repo.claim_due(conn, iso_utc(now), iso_utc(until), limit)
        tried = 0
        with self.mailer.session() as mail:  # one connection for the pass, closed after it
            for record in records:
                if not self._still_held(until):
                    break  # the rest may be another sender's by now: they are due again
                self._attempt(record, mail)
                tried += 1
        return tried

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                busy = self.send_due()
            except sa.exc.OperationalError as err:
                log.warning("sender: database unavailable, will retry: %s", err)
                busy = 0
            if not busy:
                stop.wait(self.parts.mail.sender_poll_s)

    def _still_held(self, until) -> bool:
        # A pass slowed by a hanging SMTP server must not send what another sender may now hold.
        mail = self.parts.mail
        margin = timedelta(seconds=min(mail.smtp_timeout_s, mail.claim_lease_s / 2))
        return self.parts.clock.now() + margin < until

    def _attempt(self, record, mail) -> None:
        # In the trace of the event that caused the notification; NotificationSent joins it too.
        with (
            logs.about(unit_id=record.unit_id, year=record.year),
            tracing.span_from(
                getattr(record, "trace_context", None),
                "notification send mail",
                kind=SpanKind.CLIENT,
                **{
                    "antt.notification_id": record.notification_id,
                    "antt.template": record.template,
                },
            ),
        ):
            at = self.parts.clock.now()
            error, permanent = None, False
            try:
                mail.send(record, at)
            except DeliveryFailed as err:
                error, permanent = err.reason, err.permanent
            except Exception as err:  # a bad message must not stop the loop: retried, then failed
                log.exception("sender: unexpected error for %s", record.notification_id)
                error = f"lỗi khi gửi: {err!r}"[:1000]
            self._record(record, at, error, permanent)
            MAILS.labels("sent" if error is None else "failed").inc()

    def _record(self, record, at, error: str | None, permanent: bool) -> None:
        try:
            self._settle(record, at, error, permanent)
        except sa.exc.IntegrityError:
            # A sender whose claim ran out recorded this attempt already: keep its record.
            log.warning("%s: attempt already recorded by another sender", record.notification_id)

    def _settle(self, record, at, error: str | None, permanent: bool) -> None:
        attempt = record.attempts + 1
        step = after_attempt(self.policy, attempt, error, permanent, self.parts.clock.now())
        with self.engine.begin() as conn:
            repo.record_attempt(conn, record.notification_id, attempt, iso_utc(at), error)
            repo.settle(
                conn,
                record.notification_id,
                status=step.status,
                attempts=attempt,
                error=error,
                sent_at=iso_utc(at) if step.status == SENT else None,
                next_attempt_at=iso_utc(step.retry_at) if step.retry_at else None,
            )
            if step.status != PENDING:
                context = Context.system("notification-sender")
                finish(conn, self.parts.store, record, error, attempt, context)
        log.info("%s attempt %s: %s %s", record.notification_id, attempt, step.status, error or "")
