"""Notification use cases: keep the directory, notify units of their case's steps, list them."""

from __future__ import annotations

from functools import partial

from services.notification.adapters import repository as repo
from services.notification.adapters.mailer import DeliveryFailed
from services.notification.domain.notification import (
    NO_ADDRESS,
    TEMPLATES,
    Notification,
    notification_for,
    outcome_event,
)
from shared.auth import Principal, ensure_may_see
from shared.clock import iso_utc
from shared.persistence.event_store import Context


def notification_stream(notification_id: str) -> str:
    return f"notification-{notification_id}"


def project_recipient(env, event, conn) -> None:
    """Consumer: a unit was added or changed in the directory; remember where to write."""
    repo.save_recipient(conn, event)


def notify_unit(env, event, conn, *, store, clock, mailer) -> None:
    """Consumer: a step of the unit's case happened; tell the unit once, by e-mail."""
    recipient = repo.load_recipient(conn, event.unit_id)
    note = notification_for(env.event_type, event, env.event_id, recipient)
    if note is None or repo.notification_exists(conn, note.notification_id):
        return
    now = clock.now()
    error = _deliver(mailer, note, now)
    repo.insert_notification(conn, note, error, iso_utc(now))
    store.append(
        conn,
        notification_stream(note.notification_id),
        0,
        [outcome_event(note, error)],
        Context.system("notification", env),
    )


def _deliver(mailer, note: Notification, now) -> str | None:
    """None when delivered, else the reason it was not."""
    if not note.deliverable:
        return NO_ADDRESS
    try:
        mailer.send(note, now)
    except DeliveryFailed as err:
        return str(err)
    return None


def list_notifications(rt, who: Principal, unit_id=None, year=None) -> list[dict]:
    if who.role == "unit":
        unit_id = unit_id or who.unit_id
    with rt.engine.connect() as conn:
        if unit_id:
            _ensure_may_see_unit(rt, conn, who, unit_id)
        rows = repo.list_notifications(conn, unit_id, year)
    if who.role != "unit":
        rows = [r for r in rows if rt.jurisdictions.covers(who.jurisdiction, r.jurisdiction)]
    return [repo.listed(r) for r in rows]


def _ensure_may_see_unit(rt, conn, who: Principal, unit_id: str) -> None:
    if who.role == "unit":
        ensure_may_see(who, unit_id, None, rt.jurisdictions)
        return
    known, jurisdiction = repo.jurisdiction_of(conn, unit_id)
    # A unit this read model has not heard of yet has been sent nothing: an empty list, not 404,
    # so clients polling right after adding a unit are not told it does not exist.
    if known:
        ensure_may_see(who, unit_id, jurisdiction, rt.jurisdictions)


def handlers(store, clock, mailer) -> dict:
    """The table of what reacts to what, with the dependencies bootstrap() provides."""
    notify = partial(notify_unit, store=store, clock=clock, mailer=mailer)
    return {
        "UnitAdded": [project_recipient],
        "UnitUpdated": [project_recipient],
        **{event_type: [notify] for event_type in TEMPLATES},
    }
