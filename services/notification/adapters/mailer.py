"""The delivery port, and a mailer that drops RFC 5322 messages into a folder (SMTP comes later)."""

from __future__ import annotations

import email.policy
import os
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol

from services.notification.domain.notification import Notification

SENDER = "Hệ thống ANTT <no-reply@antt.local>"


class DeliveryFailed(Exception):
    """The mailer could not take the message; the reason is recorded on the notification."""


class Mailer(Protocol):
    def send(self, note: Notification, at: datetime) -> None:
        """Deliver `note` or raise DeliveryFailed; sending the same id again is harmless."""


def to_message(note: Notification, at: datetime, sender: str = SENDER) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = note.recipient
    msg["Subject"] = note.subject
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = f"<{note.notification_id}@antt.local>"
    msg["X-ANTT-Notification-Id"] = note.notification_id
    msg["X-ANTT-Template"] = note.template
    msg.set_content(note.body, charset="utf-8")
    return msg


class FileMailer:
    """Writes `<folder>/<notification_id>.eml`; the same id rewrites the same file."""

    def __init__(self, folder: Path, sender: str = SENDER):
        self.folder, self.sender = Path(folder), sender

    def path_of(self, notification_id: str) -> Path:
        return self.folder / f"{notification_id}.eml"

    def send(self, note: Notification, at: datetime) -> None:
        raw = to_message(note, at, self.sender).as_bytes(policy=email.policy.SMTP)
        target = self.path_of(note.notification_id)
        partial = target.with_suffix(".eml.part")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(raw)
            # A reader of the folder never sees half a message.
            os.replace(partial, target)
        except OSError as err:
            raise DeliveryFailed(f"không ghi được thư: {err}") from err
