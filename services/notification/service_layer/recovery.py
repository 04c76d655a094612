"""Notification after `antt recover` (shared/recovery.py): the records the consumer made again
from the topics are settled by the outcome events put back, so a mail already sent is not sent
again."""

from __future__ import annotations

from services.notification.adapters import repository as repo

OUTCOMES = {"NotificationSent": "sent", "NotificationFailed": "failed"}


def reproject(rt, conn, envelopes) -> None:
    """Nothing to do before the topics are read again: the records come back with them."""


def after_reread(rt, conn, envelopes) -> None:
    for env in envelopes:
        status = OUTCOMES.get(env.event_type)
        if status is None:
            continue
        p = env.payload
        repo.settle(
            conn,
            p["notification_id"],
            status=status,
            attempts=p.get("attempts") or 1,
            error=p.get("error"),
            sent_at=env.occurred_at if status == "sent" else None,
            next_attempt_at=None,
        )
