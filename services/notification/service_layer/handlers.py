"""Notification use cases: keep the directory and calendar, record who must be told, list it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial

from services.notification.adapters import progress as calendar_repo
from services.notification.adapters import repository as repo
from services.notification.domain.notification import TRIGGERS, UNIT, drafts_for
from services.notification.service_layer.records import Parts, make_record
from shared.auth import Principal, ensure_may_see, may_see
from shared.clock import VIETNAM
from shared.events.registration import unit_stream
from shared.messaging.claims import Awaiting
from shared.persistence.event_store import Context
from shared.persistence.keyset import Page, Paged

OFFICIAL_AUDIENCES = ("reviewer", "approver")
AUDIENCES = {"unit": (UNIT,), "officials": OFFICIAL_AUDIENCES, "all": (UNIT, *OFFICIAL_AUDIENCES)}


def project_recipient(env, event, conn) -> None:
    """A unit was added or changed in the directory; remember where to write."""
    repo.save_recipient(conn, event)


def project_campaign(env, event, conn) -> None:
    calendar_repo.save_campaign(conn, event)


def project_registration(env, event, conn) -> None:
    calendar_repo.update_progress(conn, event.unit_id, event.year, registered=True)


def project_dossier(env, event, conn) -> None:
    calendar_repo.update_progress(conn, event.unit_id, event.year, dossier_revision=event.revision)


def project_return(env, event, conn) -> None:
    calendar_repo.update_progress(
        conn, event.unit_id, event.year, returned_revision=event.revision, return_due=event.due_date
    )


def project_late_exception(env, event, conn) -> None:
    if event.until is not None and event.step in ("registration", "dossier"):
        values = {f"{event.step}_until": event.until}
        calendar_repo.update_progress(conn, event.unit_id, event.year, **values)


def record_notifications(env, event, conn, *, parts: Parts) -> None:
    """A step of a case happened: record one pending notification per recipient. Sending is
    the sender's job, after this transaction commits (never inside it)."""
    unit = repo.load_recipient(conn, event.unit_id)
    if unit is None:
        # The unit's entry travels on registration's topic, this event perhaps on review's, and
        # topics are read at their own pace: wait for it rather than write to no one.
        raise Awaiting(unit_stream(event.unit_id), f"{event.unit_id} is not in the directory yet")
    # Art. 10 as in force on the day of the step (the day the approval is asked for).
    on = datetime.fromisoformat(env.occurred_at).astimezone(VIETNAM).date()
    officials = parts.officials.for_unit(unit, on)
    drafts = drafts_for(env.event_type, event, env.event_id, unit, officials)
    calendar = calendar_repo.load_calendar(conn, event.year)
    for draft in drafts:
        draft.facts["calendar"] = calendar
        make_record(conn, parts, draft, Context.system("notification", env))


def list_notifications(
    rt, who: Principal, page: Page, unit_id=None, year=None, audience="unit"
) -> Paged:
    """A page of notifications in the order they were made, each with its attempts."""
    if who.role == "unit":
        unit_id, audience = unit_id or who.unit_id, "unit"
    with rt.engine.connect() as conn:
        if unit_id:
            _ensure_may_see_unit(rt, conn, who, unit_id)
        pick = None if unit_id else _within(rt, conn, who)  # one unit's reach was checked above
        found = repo.list_records(conn, page, pick, unit_id, year, AUDIENCES[audience])
        tries = repo.attempts_of(conn, [r.notification_id for r in found.items])
    listed = [repo.listed(r, tries[r.notification_id]) for r in found.items]
    return replace(found, items=listed)


def _within(rt, conn, who: Principal):
    """An official reads the rows of the units they reach: the kernel's one rule, with each
    unit's commune from the directory (a commune official's scope is a commune)."""
    if who.role == "unit":
        return None
    communes: dict = {}

    def pick(row):
        if row.unit_id not in communes:
            communes[row.unit_id] = repo.place_of(conn, row.unit_id)[2]
        seen = may_see(who, row.unit_id, row.jurisdiction, rt.jurisdictions, communes[row.unit_id])
        return row if seen else None

    return pick


def _ensure_may_see_unit(rt, conn, who: Principal, unit_id: str) -> None:
    if who.role == "unit":
        ensure_may_see(who, unit_id, None, rt.jurisdictions)
        return
    known, jurisdiction, commune = repo.place_of(conn, unit_id)
    # A unit this read model has not heard of yet has been sent nothing: an empty list, not 404,
    # so clients polling right after adding a unit are not told it does not exist.
    if known:
        ensure_may_see(who, unit_id, jurisdiction, rt.jurisdictions, commune)


def handlers(parts: Parts) -> dict:
    """The table of what reacts to what, with the dependencies bootstrap() provides."""
    notify = partial(record_notifications, parts=parts)
    table = {event_type: [notify] for event_type in TRIGGERS}
    table["UnitRegistered"].insert(0, project_registration)
    table["DossierSubmitted"].insert(0, project_dossier)
    table["DossierReturned"].insert(0, project_return)
    return {
        **table,
        "UnitAdded": [project_recipient],
        "UnitUpdated": [project_recipient],
        "CampaignScheduled": [project_campaign],
        "LateExceptionGranted": [project_late_exception],
    }
