"""Making a notification record: rendered once, pending for the sender or failed with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from services.notification.adapters import repository as repo
from services.notification.adapters.officials import Officials
from services.notification.adapters.templates import Renderer
from services.notification.domain.notification import NO_ADDRESS, Draft, outcome_event
from services.notification.settings import NotificationSettings
from shared.clock import Clock, iso_utc
from shared.persistence.event_store import Context, EventStore


@dataclass
class Parts:
    """What the consumer, sender and scheduler share; bootstrap() builds it once per process."""

    store: EventStore
    clock: Clock
    renderer: Renderer
    officials: Officials
    mail: NotificationSettings


def notification_stream(notification_id: str) -> str:
    return f"notification-{notification_id}"


def make_record(conn, parts: Parts, draft: Draft, context: Context) -> bool:
    """Insert the record unless it exists; False when it did. No address: failed at once."""
    if repo.notification_exists(conn, draft.notification_id):
        return False
    error = None if draft.deliverable else NO_ADDRESS
    repo.insert_record(conn, draft, parts.renderer.render(draft), iso_utc(parts.clock.now()), error)
    if error:
        record = repo.load_record(conn, draft.notification_id)
        finish(conn, parts.store, record, error, attempts=0, context=context)
    return True


def finish(conn, store: EventStore, record, error: str | None, attempts: int, context) -> None:
    """The one outcome event of a notification: NotificationSent or NotificationFailed."""
    stream = notification_stream(record.notification_id)
    store.append(conn, stream, 0, [outcome_event(record, error, attempts)], context)
