"""Reads and writes of the unit contacts, notification records and their attempts."""

from __future__ import annotations

import sqlalchemy as sa

from services.notification.adapters.tables import attempts, notifications, recipients
from services.notification.domain.notification import Draft, Recipient
from shared.observability.tracing import current_traceparent
from shared.persistence.keyset import Page, read_page
from shared.persistence.upsert import upsert

N = notifications.c
RECIPIENT_FIELDS = (
    "jurisdiction",
    "name",
    "contact_email",
    "commune_code",
    "unit_type",
    "managing_level",
)
LISTED_FIELDS = (
    "notification_id unit_id year template audience channel recipient subject status attempts "
    "error cause_event_id cause_event_type reminder_key created_at sent_at next_attempt_at"
).split()


def save_recipient(conn, entry) -> None:
    values = {name: getattr(entry, name) for name in ("unit_id", *RECIPIENT_FIELDS)}
    upsert(conn, recipients, ("unit_id",), values)


# Built once: the consumer reads a recipient and checks a record for every event it handles.
_RECIPIENT = sa.select(recipients).where(recipients.c.unit_id == sa.bindparam("unit_id"))
_EXISTS = sa.select(N.notification_id).where(N.notification_id == sa.bindparam("id"))


def load_recipient(conn, unit_id: str) -> Recipient | None:
    row = conn.execute(_RECIPIENT, {"unit_id": unit_id}).first()
    return Recipient(**row._mapping) if row else None


def all_recipients(conn) -> list[Recipient]:
    rows = conn.execute(sa.select(recipients).order_by(recipients.c.unit_id))
    return [Recipient(**row._mapping) for row in rows]


def notification_exists(conn, notification_id: str) -> bool:
    return conn.execute(_EXISTS, {"id": notification_id}).first() is not None


def insert_record(conn, draft: Draft, text: tuple[str, str, str], now: str, error=None) -> None:
    """A new record: pending for the sender, or failed at once when `error` says why."""
    subject, plain, html = text
    conn.execute(
        notifications.insert(),
        dict(
            notification_id=draft.notification_id,
            unit_id=draft.unit_id,
            year=draft.year,
            template=draft.template,
            audience=draft.audience,
            channel=draft.channel,
            recipient=draft.recipient,
            recipient_name=draft.recipient_name,
            subject=subject,
            text_body=plain,
            html_body=html,
            cause_event_id=draft.cause_event_id,
            cause_event_type=draft.cause_event_type,
            reminder_key=draft.reminder_key,
            status="failed" if error else "pending",
            attempts=0,
            error=error,
            created_at=now,
            next_attempt_at=None if error else now,
            jurisdiction=draft.jurisdiction,
            trace_context=current_traceparent(),
        ),
    )


def load_record(conn, notification_id: str):
    return conn.execute(
        sa.select(notifications).where(N.notification_id == notification_id)
    ).first()


def claim_due(conn, now: str, until: str, limit: int = 20) -> list:
    """Take up to `limit` due records, oldest first, for one attempt each until `until`, and
    return them. Rows another sender holds, or is taking at this moment, are left to it."""
    due = (
        sa.select(N.notification_id)
        .where(N.status == "pending", N.next_attempt_at <= now, _unclaimed(now))
        .order_by(N.next_attempt_at, N.notification_id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite runs one writer at a time
        .cte("due")  # run once: as a plain subquery, PostgreSQL may run it again and take more
    )
    taken = conn.execute(
        notifications.update()
        .where(N.notification_id.in_(sa.select(due.c.notification_id)), N.status == "pending")
        .where(_unclaimed(now))
        .values(claimed_until=until)
        .returning(*notifications.c)
    ).all()
    return sorted(taken, key=lambda r: (r.next_attempt_at, r.notification_id))


def _unclaimed(now: str):
    return sa.or_(N.claimed_until.is_(None), N.claimed_until < now)


def record_attempt(conn, notification_id: str, attempt: int, at: str, error: str | None) -> None:
    conn.execute(
        attempts.insert().values(
            notification_id=notification_id,
            attempt=attempt,
            at=at,
            outcome="failed" if error else "sent",
            error=error,
        )
    )


def settle(conn, notification_id: str, **values) -> None:
    """Write the attempt's consequence and release the claim."""
    conn.execute(
        notifications.update()
        .where(N.notification_id == notification_id)
        .values(claimed_until=None, **values)
    )


def list_records(conn, page: Page, pick=None, unit_id=None, year=None, audiences=("unit",)):
    """A page of rows in the order they were made; `pick` may leave rows out (by their
    jurisdiction)."""
    q = sa.select(notifications).where(N.audience.in_(audiences))
    if unit_id:
        q = q.where(N.unit_id == unit_id)
    if year is not None:
        q = q.where(N.year == year)
    return read_page(conn, q, (N.created_at, N.notification_id), page, pick)


def attempts_of(conn, ids: list[str]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = conn.execute(
        sa.select(attempts)
        .where(attempts.c.notification_id.in_(ids))
        .order_by(attempts.c.notification_id, attempts.c.attempt)
    )
    for row in rows:
        found[row.notification_id].append(
            {"attempt": row.attempt, "at": row.at, "outcome": row.outcome, "error": row.error}
        )
    return found


def listed(row, tries: list[dict]) -> dict:
    return {**{name: row._mapping[name] for name in LISTED_FIELDS}, "attempt_log": tries}


def place_of(conn, unit_id: str) -> tuple[bool, str | None, str | None]:
    """(known, jurisdiction, commune_code) of a unit, from the directory or else from its
    notifications (which keep the jurisdiction only)."""
    recipient = load_recipient(conn, unit_id)
    if recipient:
        return True, recipient.jurisdiction, recipient.commune_code
    row = conn.execute(sa.select(N.jurisdiction).where(N.unit_id == unit_id).limit(1)).first()
    return (True, row.jurisdiction, None) if row else (False, None, None)
