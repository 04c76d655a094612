"""Delivery over SMTP (smtplib; STARTTLS and login when configured) of multipart Vietnamese mail."""

from __future__ import annotations

import smtplib
import ssl
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from email import policy
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr
from typing import Protocol

from services.notification.settings import NotificationSettings

# The classic policy, with the CRLF line ends SMTP wants (smtplib leaves bytes as they are).
WIRE = policy.compat32.clone(linesep="\r\n")


class DeliveryFailed(Exception):
    """The server did not take the message; `permanent` when trying again cannot help."""

    def __init__(self, reason: str, permanent: bool = False):
        super().__init__(reason)
        self.reason, self.permanent = reason, permanent


class Mailer(Protocol):
    def send(self, record, at: datetime) -> None:
        """Deliver the notification record or raise DeliveryFailed."""

    def session(self) -> AbstractContextManager:
        """A context whose `send(record, at)` may reuse one connection for several records."""


def to_message(record, at: datetime, sender: str) -> MIMEMultipart:
    """RFC 5322 message: plain text with an HTML alternative; the id rides in Message-ID.

    Built with the classic email API on purpose: the newer default policy folds a long
    Vietnamese subject into encoded words and loses the space at the fold ("đạtchuẩn")."""
    msg = MIMEMultipart("alternative")
    msg["From"] = formataddr(parseaddr(sender), charset="utf-8")
    msg["To"] = formataddr((record.recipient_name, record.recipient), charset="utf-8")
    msg["Subject"] = Header(record.subject, "utf-8")
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = f"<{record.notification_id}@antt.local>"
    msg["X-ANTT-Notification-Id"] = record.notification_id
    msg["X-ANTT-Template"] = record.template
    msg.attach(MIMEText(record.text_body, "plain", "utf-8"))
    msg.attach(MIMEText(record.html_body, "html", "utf-8"))
    return msg


class SmtpMailer:
    """One SMTP session per message, or per pass of the sender (`session()`): nothing is held
    open between passes, and a busy pass does not pay a connection and greeting per message."""

    def __init__(self, settings: NotificationSettings):
        self.s = settings

    def send(self, record, at: datetime) -> None:
        with self.session() as session:
            session.send(record, at)

    @contextmanager
    def session(self):
        session = SmtpSession(self)
        try:
            yield session
        finally:
            session.close()

    def connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.s.smtp_host, self.s.smtp_port, timeout=self.s.smtp_timeout_s)
        try:
            smtp.ehlo()
            if self.s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context(cafile=self.s.smtp_cafile))
                smtp.ehlo()
            if self.s.smtp_user:
                smtp.login(self.s.smtp_user, self.s.smtp_password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


class SmtpSession:
    """Messages sent over one connection, opened at the first; after a failure the connection
    is dropped and the next message opens a new one (its state is then unknown)."""

    def __init__(self, mailer: SmtpMailer):
        self.mailer, self._smtp = mailer, None

    def send(self, record, at: datetime) -> None:
        s = self.mailer.s
        msg = to_message(record, at, s.smtp_from)
        try:
            if self._smtp is None:
                self._smtp = self.mailer.connect()
            self._smtp.sendmail(
                parseaddr(s.smtp_from)[1], [record.recipient], msg.as_bytes(policy=WIRE)
            )
        except smtplib.SMTPRecipientsRefused as err:
            self.close()
            codes = [code for code, _ in err.recipients.values()]
            raise DeliveryFailed(_describe(err), all(c >= 500 for c in codes)) from err
        except smtplib.SMTPResponseException as err:
            self.close()
            raise DeliveryFailed(_describe(err), 500 <= err.smtp_code < 600) from err
        except (smtplib.SMTPException, OSError) as err:
            self.close()
            raise DeliveryFailed(_describe(err)) from err

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _describe(err: Exception) -> str:
    where = "máy chủ thư"
    return f"{where} từ chối hoặc không trả lời: {type(err).__name__}: {err}"[:1000]
