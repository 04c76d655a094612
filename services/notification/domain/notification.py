"""Who hears of each step of a case, once per cause and recipient, and how a delivery ends."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from shared.events.notification import NotificationFailed, NotificationSent

CHANNEL = "email"
NO_ADDRESS = "không có địa chỉ e-mail"
UNIT, REVIEWER, APPROVER = "unit", "reviewer", "approver"

# Event type → (audience, template) of everyone it notifies. Events not listed notify nobody.
TRIGGERS: dict[str, tuple[tuple[str, str], ...]] = {
    "UnitRegistered": ((UNIT, "registration_received"),),
    "DossierSubmitted": ((UNIT, "dossier_received"), (REVIEWER, "dossier_queued")),
    "DossierReturned": ((UNIT, "dossier_returned"),),
    "RecommendationMade": ((UNIT, "recommendation_made"), (APPROVER, "decision_requested")),
    "RecognitionDecided": ((UNIT, "recognition_decided"),),
    "RecognitionAnnulled": ((UNIT, "recognition_annulled"),),
}
TEMPLATES = {event_type: audiences[0][1] for event_type, audiences in TRIGGERS.items()}


@dataclass(frozen=True)
class Recipient:
    """A unit as the directory (UnitAdded/UnitUpdated) describes it."""

    unit_id: str
    name: str
    contact_email: str | None
    jurisdiction: str | None = None
    commune_code: str | None = None
    unit_type: str | None = None
    managing_level: str | None = None


@dataclass(frozen=True)
class Mailbox:
    """An official's mailbox (reviewers, approvers) from the service's recipients data."""

    name: str
    address: str | None
    # For an approver: the Vietnamese note when the rule naming their committee is unverified.
    note: str | None = None


@dataclass(frozen=True)
class Draft:
    """A notification decided but not yet written out: the template renders `facts`."""

    notification_id: str
    unit_id: str
    year: int | None
    template: str
    audience: str
    recipient: str
    recipient_name: str
    cause_event_id: str
    cause_event_type: str
    jurisdiction: str | None
    facts: dict = field(default_factory=dict)
    reminder_key: str | None = None
    channel: str = CHANNEL

    @property
    def deliverable(self) -> bool:
        return bool(self.recipient)


def notification_id(cause: str, recipient: str) -> str:
    """The same cause never notifies the same recipient twice, however often it arrives."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{cause}:{recipient}"))


def drafts_for(
    event_type: str, event, cause_event_id: str, unit: Recipient | None, officials: dict
) -> list[Draft]:
    """Every notification `event` calls for; `officials` maps audience → its mailboxes."""
    drafts = []
    for audience, template in TRIGGERS.get(event_type, ()):
        if audience == UNIT:
            boxes = [unit_mailbox(unit, event)]
        else:
            boxes = officials.get(audience) or [Mailbox(f"({audience})", None)]
        for box in boxes:
            drafts.append(_draft(event_type, event, cause_event_id, unit, audience, template, box))
    return drafts


def unit_mailbox(unit: Recipient | None, event) -> Mailbox:
    name = unit.name if unit else getattr(event, "name", None) or event.unit_id
    return Mailbox(name, unit.contact_email if unit else None)


def _draft(event_type, event, cause_id, unit, audience, template, box: Mailbox) -> Draft:
    # A recipient without an address is still one recipient: key it by who it is.
    who = box.address or f"{audience}:{event.unit_id if audience == UNIT else box.name}"
    return Draft(
        notification_id=notification_id(cause_id, who),
        unit_id=event.unit_id,
        year=event.year,
        template=template,
        audience=audience,
        recipient=box.address or "",
        recipient_name=box.name,
        cause_event_id=cause_id,
        cause_event_type=event_type,
        jurisdiction=jurisdiction_of(unit, event),
        facts={
            "e": event,
            "unit_name": unit_mailbox(unit, event).name,
            "authority_note": box.note,
        },
    )


def jurisdiction_of(unit: Recipient | None, event) -> str | None:
    if unit and unit.jurisdiction:
        return unit.jurisdiction
    return getattr(event, "jurisdiction", None)


def outcome_event(note, error: str | None, attempts: int):
    """NotificationSent when delivery worked, NotificationFailed with the reason when not."""
    event_class = NotificationFailed if error else NotificationSent
    return event_class(
        notification_id=note.notification_id,
        unit_id=note.unit_id,
        year=note.year,
        template=note.template,
        channel=note.channel,
        recipient=note.recipient,
        cause_event_id=note.cause_event_id,
        attempts=attempts,
        error=error,
        reminder_key=note.reminder_key,
        subject=note.subject,
    )


def reminder_draft(reminder, unit: Recipient) -> Draft:
    """The unit's reminder of a deadline; its key makes it once per unit, kind and offset."""
    who = unit.contact_email or f"{UNIT}:{unit.unit_id}"
    return Draft(
        notification_id=notification_id(f"reminder:{reminder.key}", who),
        unit_id=unit.unit_id,
        year=reminder.year,
        template=reminder.template,
        audience=UNIT,
        recipient=unit.contact_email or "",
        recipient_name=unit.name,
        cause_event_id="",
        cause_event_type="Reminder",
        jurisdiction=unit.jurisdiction,
        facts={"r": reminder, "unit_name": unit.name},
        reminder_key=reminder.key,
    )
