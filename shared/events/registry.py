"""The one registry of wire names and versions, with the upcaster chain applied on load."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from marshmallow import Schema, ValidationError

from shared.events import notification as n
from shared.events import registration as r
from shared.events import review as v
from shared.events import schemas as s

Upcaster = Callable[[dict], dict]


class UnknownEventType(LookupError):
    """The wire name is not in this registry (a newer producer); consumers skip it."""


class EventVersionTooNew(LookupError):
    """The event's version is newer than this code understands; consumers park it."""


class PayloadInvalid(ValueError):
    """The payload does not satisfy the event's schema."""

    def __init__(self, event_type: str, errors: dict):
        super().__init__(f"{event_type}: {errors}")
        self.errors = errors


@dataclass(frozen=True)
class EventSpec:
    name: str
    event_class: type
    schema: Schema
    version: int
    producer: str


@dataclass
class Registry:
    """Wire name → spec; `upcasters[(name, v)]` lifts a payload from version v to v + 1."""

    specs: dict[str, EventSpec] = field(default_factory=dict)
    upcasters: dict[tuple[str, int], Upcaster] = field(default_factory=dict)

    def add(self, name, event_class, schema, producer, version=1) -> None:
        self.specs[name] = EventSpec(name, event_class, schema, version, producer)

    def spec_for(self, name: str) -> EventSpec:
        try:
            return self.specs[name]
        except KeyError:
            raise UnknownEventType(name) from None

    def name_of(self, event) -> str:
        for spec in self.specs.values():
            if type(event) is spec.event_class:
                return spec.name
        raise UnknownEventType(type(event).__name__)

    def encode(self, event) -> tuple[str, int, dict]:
        spec = self.spec_for(self.name_of(event))
        return spec.name, spec.version, spec.schema.dump(event)

    def decode(self, name: str, version: int, payload: dict):
        spec = self.spec_for(name)
        if version > spec.version:
            raise EventVersionTooNew(f"{name} v{version} (this code knows v{spec.version})")
        payload = self.upcast(name, version, payload)
        try:
            return spec.schema.load(payload)
        except ValidationError as err:
            raise PayloadInvalid(name, err.messages_dict) from None

    def upcast(self, name: str, version: int, payload: dict) -> dict:
        current = self.spec_for(name).version
        while version < current:
            payload = self.upcasters[(name, version)](dict(payload))
            version += 1
        return payload


def _build() -> Registry:
    reg = Registry()
    for cls, schema, producer in (
        (r.CampaignScheduled, s.CampaignScheduledSchema, "registration"),
        (r.UnitAdded, s.UnitAddedSchema, "registration"),
        (r.UnitUpdated, s.UnitUpdatedSchema, "registration"),
        (r.UnitRegistered, s.UnitRegisteredSchema, "registration"),
        (r.DossierSubmitted, s.DossierSubmittedSchema, "registration"),
        (r.LateExceptionGranted, s.LateExceptionGrantedSchema, "registration"),
        (r.AdministrativeUnitsReorganized, s.AdministrativeUnitsReorganizedSchema, "registration"),
        (v.DossierReturned, s.DossierReturnedSchema, "review"),
        (v.IncidentRecorded, s.IncidentRecordedSchema, "review"),
        (v.RecommendationMade, s.RecommendationMadeSchema, "review"),
        (v.RecognitionDecided, s.RecognitionDecidedSchema, "review"),
        (v.RecognitionAnnulled, s.RecognitionAnnulledSchema, "review"),
        (n.NotificationSent, s.NotificationSentSchema, "notification"),
        (n.NotificationFailed, s.NotificationFailedSchema, "notification"),
    ):
        reg.add(cls.__name__, cls, schema(), producer)
    return reg


REGISTRY = _build()
