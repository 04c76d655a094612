"""Events produced by the notification service (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotificationSent:
    notification_id: str
    unit_id: str
    year: int | None
    template: str
    channel: str
    recipient: str
    cause_event_id: str
    attempts: int = 1
    error: str | None = None
    # Reminders have no cause event: the key (unit, kind, offset) identifies them instead.
    reminder_key: str | None = None
    subject: str = ""


@dataclass(frozen=True)
class NotificationFailed(NotificationSent):
    pass
