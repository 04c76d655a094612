"""Registration's side for review's tests: real envelopes from a real EventStore, fed to a real
IdempotentConsumer built with review's handlers."""

from __future__ import annotations

import uuid
from datetime import date

from shared.events import TOPICS
from shared.events.registration import (
    CampaignScheduled,
    DocumentRef,
    DossierSubmitted,
    SelfAssessment,
    UnitAdded,
    UnitRegistered,
)
from shared.messaging.consumer import IdempotentConsumer
from shared.messaging.ports import Record
from shared.persistence.engine import create_schema, make_engine
from shared.persistence.event_store import Context, EventStore
from shared.runtime import consumer_name

TOPIC = TOPICS["registration"]
UNIT_ACTOR = {"sub": "clerk-1", "role": "unit"}


class RegistrationFeed:
    """Appends registration events into a scratch database and delivers them to review."""

    def __init__(self, tmp_path, review_rt):
        self.engine = make_engine(f"sqlite:///{tmp_path / 'registration-scratch.db'}")
        create_schema(self.engine)
        self.store = EventStore("registration", TOPIC, review_rt.clock)
        self.consumer = IdempotentConsumer(
            consumer_name("review"), review_rt.engine, review_rt.handlers, review_rt.clock
        )
        self.units: dict[str, UnitAdded] = {}
        self.offset = 0

    def emit(self, stream_id: str, event, actor: dict = UNIT_ACTOR):
        with self.engine.begin() as conn:
            version = self.store.version_of(conn, stream_id)
            context = Context(actor, str(uuid.uuid4()))
            [env] = self.store.append(conn, stream_id, version, [event], context)
        return env, self.deliver(env)

    def deliver(self, env) -> str:
        record = Record(TOPIC, 0, self.offset, env.unit_id, env.to_bytes(), {})
        self.offset += 1
        return self.consumer.consume(record)

    def add_unit(
        self,
        unit_id: str,
        unit_type="residential_area",
        jurisdiction="nha-trang",
        commune_code=None,
        managing_level=None,
        party=True,
    ):
        default_level = "district" if unit_type == "commune" else "commune"
        entry = UnitAdded(
            unit_id=unit_id,
            name=f"Đơn vị {unit_id} (dữ liệu thử)",
            unit_type=unit_type,
            commune_code=commune_code
            or ("vinh-hai" if jurisdiction == "nha-trang" else "cam-linh"),
            managing_level=managing_level or default_level,
            has_party_organization=party,
            contact_email=f"{unit_id}@example.org",
            jurisdiction=jurisdiction,
        )
        self.units[unit_id] = entry
        return self.emit(f"unit-{unit_id}", entry, {"sub": "admin-1", "role": "admin"})

    def register(self, unit_id: str, year: int, figures=None, documents=()):
        u = self.units[unit_id]
        event = UnitRegistered(
            unit_id=unit_id,
            year=year,
            unit_type=u.unit_type,
            name=u.name,
            commune_code=u.commune_code,
            managing_level=u.managing_level,
            has_party_organization=u.has_party_organization,
            jurisdiction=u.jurisdiction,
            documents=tuple(DocumentRef(kind, "0" * 64) for kind in documents),
            figures=figures or {},
        )
        return self.emit(f"case-{unit_id}-{year}", event)

    def campaign(self, year: int, **dates):
        defaults = {
            "registration_deadline": date(year, 3, 31),
            "period_start": date(year - 1, 11, 16),
            "period_end": date(year, 11, 15),
            "ra_period_start": date(year - 1, 11, 1),
            "ra_period_end": date(year, 10, 31),
            "dossier_deadline": date(year, 11, 30),
        }
        event = CampaignScheduled(year=year, catalogue_version="tt124-2021-v1", **defaults | dates)
        return self.emit(f"campaign-{year}", event, {"sub": "admin-1", "role": "admin"})

    def submit(self, unit_id: str, year: int, revision: int = 1, met: dict | None = None):
        lines = tuple(SelfAssessment(cid, ok) for cid, ok in (met or {}).items())
        event = DossierSubmitted(
            dossier_id=f"{unit_id}-{year}-r{revision}",
            unit_id=unit_id,
            year=year,
            revision=revision,
            self_assessment=lines,
        )
        return self.emit(f"case-{unit_id}-{year}", event)

    def submitted_case(self, unit_id: str, year: int = 2025, **unit):
        self.add_unit(unit_id, **unit)
        self.register(unit_id, year)
        self.submit(unit_id, year, met={"RA-1": True, "RA-3": False})
