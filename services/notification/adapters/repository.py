"""Reads and writes of the recipients and notifications tables."""

from __future__ import annotations

import sqlalchemy as sa

from services.notification.adapters.tables import notifications, recipients
from services.notification.domain.notification import Notification, Recipient

RECIPIENT_FIELDS = ("jurisdiction", "name", "contact_email", "commune_code", "unit_type")
LISTED_FIELDS = (
    "notification_id unit_id year template channel recipient subject status attempts error "
    "cause_event_id cause_event_type created_at sent_at"
).split()


def save_recipient(conn, entry) -> None:
    values = {name: getattr(entry, name) for name in RECIPIENT_FIELDS}
    done = conn.execute(
        recipients.update().where(recipients.c.unit_id == entry.unit_id).values(**values)
    )
    if done.rowcount == 0:
        conn.execute(recipients.insert().values(unit_id=entry.unit_id, **values))


def load_recipient(conn, unit_id: str) -> Recipient | None:
    row = conn.execute(sa.select(recipients).where(recipients.c.unit_id == unit_id)).first()
    return Recipient(**row._mapping) if row else None


def notification_exists(conn, notification_id: str) -> bool:
    found = conn.execute(
        sa.select(notifications.c.notification_id).where(
            notifications.c.notification_id == notification_id
        )
    ).first()
    return found is not None


def insert_notification(conn, note: Notification, error: str | None, now: str) -> None:
    conn.execute(
        notifications.insert().values(
            notification_id=note.notification_id,
            unit_id=note.unit_id,
            year=note.year,
            template=note.template,
            channel=note.channel,
            recipient=note.recipient,
            subject=note.subject,
            cause_event_id=note.cause_event_id,
            cause_event_type=note.cause_event_type,
            status="failed" if error else "sent",
            attempts=1,
            error=error,
            created_at=now,
            sent_at=None if error else now,
            jurisdiction=note.jurisdiction,
        )
    )


def list_notifications(conn, unit_id: str | None = None, year: int | None = None) -> list:
    """Rows in the order they were made, with their jurisdiction for the caller to filter."""
    q = sa.select(notifications).order_by(
        notifications.c.created_at, notifications.c.notification_id
    )
    if unit_id:
        q = q.where(notifications.c.unit_id == unit_id)
    if year is not None:
        q = q.where(notifications.c.year == year)
    return list(conn.execute(q))


def listed(row) -> dict:
    return {name: row._mapping[name] for name in LISTED_FIELDS}


def jurisdiction_of(conn, unit_id: str) -> tuple[bool, str | None]:
    """(known, jurisdiction) of a unit, from the directory or else from its notifications."""
    recipient = load_recipient(conn, unit_id)
    if recipient:
        return True, recipient.jurisdiction
    row = conn.execute(
        sa.select(notifications.c.jurisdiction).where(notifications.c.unit_id == unit_id).limit(1)
    ).first()
    return (True, row.jurisdiction) if row else (False, None)
