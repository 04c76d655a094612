"""What to tell a unit when a step of its case happens: one notification per cause and recipient."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.notification.domain.texts import compose_text
from shared.events.notification import NotificationFailed, NotificationSent

CHANNEL = "email"
NO_ADDRESS = "không có địa chỉ e-mail"

# Event type → template. Events not listed here notify nobody.
TEMPLATES = {
    "UnitRegistered": "registration_received",
    "DossierSubmitted": "dossier_received",
    "DossierReturned": "dossier_returned",
    "RecommendationMade": "recommendation_made",
    "RecognitionDecided": "recognition_decided",
    "RecognitionAnnulled": "recognition_annulled",
}


@dataclass(frozen=True)
class Recipient:
    """A unit as the directory (UnitAdded/UnitUpdated) describes it."""

    unit_id: str
    name: str
    contact_email: str | None
    jurisdiction: str | None = None
    commune_code: str | None = None
    unit_type: str | None = None


@dataclass(frozen=True)
class Notification:
    notification_id: str
    unit_id: str
    year: int | None
    template: str
    channel: str
    recipient: str
    subject: str
    body: str
    cause_event_id: str
    cause_event_type: str
    jurisdiction: str | None

    @property
    def deliverable(self) -> bool:
        return bool(self.recipient)


def notification_id(cause_event_id: str, recipient: str) -> str:
    """The same cause never notifies the same recipient twice, however often it arrives."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{cause_event_id}:{recipient}"))


def notification_for(
    event_type: str, event, cause_event_id: str, recipient: Recipient | None
) -> Notification | None:
    """The notification `event` calls for, or None when this kind of event notifies nobody."""
    template = TEMPLATES.get(event_type)
    if template is None:
        return None
    unit_id = event.unit_id
    name = recipient.name if recipient else getattr(event, "name", None) or unit_id
    address = (recipient.contact_email if recipient else None) or ""
    subject, body = compose_text(template, event, name)
    return Notification(
        # A unit without an address is still one recipient: key it by its id.
        notification_id=notification_id(cause_event_id, address or f"unit:{unit_id}"),
        unit_id=unit_id,
        year=event.year,
        template=template,
        channel=CHANNEL,
        recipient=address,
        subject=subject,
        body=body,
        cause_event_id=cause_event_id,
        cause_event_type=event_type,
        jurisdiction=_jurisdiction(recipient, event),
    )


def _jurisdiction(recipient: Recipient | None, event) -> str | None:
    if recipient and recipient.jurisdiction:
        return recipient.jurisdiction
    return getattr(event, "jurisdiction", None)


def outcome_event(note: Notification, error: str | None, attempts: int = 1):
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
    )
