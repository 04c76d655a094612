"""A year of many units on every lifecycle path, as sealed envelopes of the three topics.

The envelopes are made with the kernel's own envelope and registry code, stream by stream
with versions and hash links, in the order things happen (a clock moving one second a step).
"""

from __future__ import annotations

import hashlib
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from shared.clock import iso_utc
from shared.envelope import Envelope
from shared.events import REGISTRY, TOPICS
from shared.events.notification import NotificationFailed, NotificationSent
from shared.events.registration import (
    CampaignScheduled,
    DocumentRef,
    DossierSubmitted,
    LateExceptionGranted,
    SelfAssessment,
    UnitAdded,
    UnitRegistered,
)
from shared.events.review import (
    DossierReturned,
    Finding,
    IncidentRecorded,
    RecognitionAnnulled,
    RecognitionDecided,
    RecommendationMade,
)
from shared.messaging.ports import Record

PATHS = (
    "never_registered",
    "no_dossier",
    "submitted",
    "returned",
    "recommended_pending",
    "recognized",
    "returned_then_recognized",
    "not_recognized",
    "annulled",
    "late_recognized",
)
CRITERIA = {
    "residential_area": ("RA-1", "RA-2", "RA-3", "RA-4", "RA-5"),
    "commune": ("CW-1", "CW-2", "CW-3", "CW-4"),
    "agency": ("AE-1", "AE-2", "AE-3"),
    "enterprise": ("AE-1", "AE-2", "AE-3"),
    "school": tuple(f"ED-{i}" for i in range(1, 7)),
}
TYPES = ("residential_area", "residential_area", "agency", "enterprise", "school")
ADMIN = {"sub": "admin-nt", "role": "admin"}
REVIEWER = {"sub": "reviewer-nt", "role": "reviewer"}
APPROVER = {"sub": "approver-nt", "role": "approver"}
SENDER = {"sub": "system:notification", "role": "system"}


@dataclass
class World:
    year: int = 2025
    clock: datetime = field(default_factory=lambda: datetime(2025, 1, 6, 1, 0, tzinfo=UTC))
    envelopes: list[Envelope] = field(default_factory=list)
    heads: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)

    def emit(self, producer: str, stream_id: str, event, actor: dict) -> Envelope:
        name, version, payload = REGISTRY.encode(event)
        number, prev = self.heads.get(stream_id, (0, None))
        env = Envelope.sealed(
            event_id=str(uuid.uuid4()),
            event_type=name,
            event_version=version,
            occurred_at=iso_utc(self.clock),
            producer=producer,
            stream_id=stream_id,
            stream_version=number + 1,
            unit_id=getattr(event, "unit_id", None),
            year=getattr(event, "year", None),
            actor=actor,
            correlation_id=str(uuid.uuid4()),
            causation_id=None,
            prev_hash=prev,
            payload=payload,
        )
        self.heads[stream_id] = (number + 1, env.hash)
        self.envelopes.append(env)
        self.clock += timedelta(seconds=1)
        return env

    def campaign(self) -> Envelope:
        y = self.year
        return self.emit(
            "registration",
            f"campaign-{y}",
            CampaignScheduled(
                y,
                date(y, 3, 31),
                date(y - 1, 11, 16),
                date(y, 11, 15),
                date(y - 1, 11, 1),
                date(y, 10, 31),
                date(y, 11, 30),
                "tt124-2021-v1",
                "tt124-2021-calendar-v1",
            ),
            ADMIN,
        )

    def add_unit(self, unit_id, unit_type, commune, where="nha-trang") -> Envelope:
        self.units[unit_id] = unit_type
        level = "district" if unit_type == "commune" else "commune"
        entry = UnitAdded(
            unit_id,
            f"Đơn vị {unit_id} (dữ liệu thử)",
            unit_type,
            commune,
            level,
            True,
            f"{unit_id}@example.vn",
            where,
        )
        return self.emit("registration", f"unit-{unit_id}", entry, ADMIN)

    def _case(self, unit_id):
        return f"case-{unit_id}-{self.year}"

    def _review(self, unit_id):
        return f"review-{unit_id}-{self.year}"

    def _notify(self, unit_id, template, cause: Envelope, failed=False):
        kind = NotificationFailed if failed else NotificationSent
        note = kind(
            str(uuid.uuid4()),
            unit_id,
            self.year,
            template,
            "email",
            f"{unit_id}@example.vn",
            cause.event_id,
            3 if failed else 1,
            "SMTP 451" if failed else None,
        )
        self.emit("notification", f"notification-{note.notification_id}", note, SENDER)

    def register(self, unit_id, late=False):
        doc = DocumentRef(
            "registration_form",
            hashlib.sha256(unit_id.encode()).hexdigest(),
            f"dang-ky-{unit_id}.pdf",
            1000 + len(unit_id),
        )
        if late:
            self.emit(
                "registration",
                self._case(unit_id),
                LateExceptionGranted(
                    unit_id, self.year, "registration", "Đăng ký bổ sung theo chỉ đạo"
                ),
                ADMIN,
            )
        env = self.emit(
            "registration",
            self._case(unit_id),
            UnitRegistered(
                unit_id,
                self.year,
                self.units[unit_id],
                f"Đơn vị {unit_id}",
                "c",
                "commune",
                True,
                "nha-trang",
                (doc,),
                {"movement_models": 1},
                late,
                "Đăng ký bổ sung theo chỉ đạo" if late else None,
            ),
            {"sub": f"user-{unit_id}", "role": "unit"},
        )
        self._notify(unit_id, "registration_received", env)

    def submit(self, unit_id, revision=1):
        criteria = CRITERIA[self.units[unit_id]]
        lines = tuple(SelfAssessment(c, True, "Đạt") for c in criteria)
        doc = DocumentRef("proposal", hashlib.sha256(f"{unit_id}{revision}".encode()).hexdigest())
        self.emit(
            "registration",
            self._case(unit_id),
            DossierSubmitted(
                f"d-{unit_id}",
                unit_id,
                self.year,
                revision,
                (doc,),
                lines,
            ),
            {"sub": f"user-{unit_id}", "role": "unit"},
        )

    def return_dossier(self, unit_id, revision=1):
        self.emit(
            "review",
            self._review(unit_id),
            DossierReturned(
                unit_id,
                self.year,
                f"d-{unit_id}",
                revision,
                ("Thiếu biên bản",),
                date(self.year, 12, 5),
            ),
            REVIEWER,
        )

    def recommend(self, unit_id, achieved=True, revision=1) -> Envelope:
        criteria = CRITERIA[self.units[unit_id]]
        failing = () if achieved else criteria[zlib.crc32(unit_id.encode()) % len(criteria) :][:2]
        findings = tuple(Finding(c, c not in failing, c not in failing, "") for c in criteria)
        outcome = "achieved" if achieved else "not_achieved"
        return self.emit(
            "review",
            self._review(unit_id),
            RecommendationMade(
                unit_id,
                self.year,
                f"d-{unit_id}",
                revision,
                outcome,
                findings,
                "tt124-2021-v1",
            ),
            REVIEWER,
        )

    def decide(self, unit_id, recognised: bool, recommendation: Envelope) -> Envelope:
        number = f"{zlib.crc32(unit_id.encode()) % 900 + 100}/QĐ-UBND"
        env = self.emit(
            "review",
            self._review(unit_id),
            RecognitionDecided(
                unit_id,
                self.year,
                "recognized" if recognised else "not_recognized",
                number,
                date(self.year, 12, 10),
                recommendation.event_id,
                "Quyết định",
            ),
            APPROVER,
        )
        self._notify(unit_id, "recognition_decided", env, failed=unit_id.endswith("7"))
        return env

    def annul(self, unit_id, number):
        self.emit(
            "review",
            self._review(unit_id),
            RecognitionAnnulled(unit_id, self.year, number, "Phát hiện sai sót trong hồ sơ"),
            APPROVER,
        )

    def incident(self, unit_id, criterion):
        self.emit(
            "review",
            f"incidents-{unit_id}",
            IncidentRecorded(
                str(uuid.uuid4()), unit_id, date(self.year, 6, 1), criterion, "Vụ việc"
            ),
            REVIEWER,
        )

    def play(self, unit_id: str, path: str) -> None:
        """The events of one unit on one of PATHS."""
        if path == "never_registered":
            return
        self.register(unit_id, late=path == "late_recognized")
        if path == "no_dossier":
            return
        self.submit(unit_id)
        if path == "submitted":
            return
        if path in ("returned", "returned_then_recognized"):
            self.return_dossier(unit_id)
            if path == "returned":
                return
            self.submit(unit_id, 2)
        rec = self.recommend(unit_id, achieved=path != "not_recognized")
        if path == "recommended_pending":
            return
        decided = self.decide(unit_id, path != "not_recognized", rec)
        if path == "annulled":
            self.annul(unit_id, decided.payload["decision_number"])


def build_year(n_units: int, communes: int = 5, year: int = 2025) -> World:
    """A campaign, `communes` commune units and `n_units` others, paths in turn."""
    world = World(year=year)
    world.campaign()
    codes = [f"xa-{i}" for i in range(communes)]
    for code in codes:
        world.add_unit(code, "commune", code)
    ids = []
    for i in range(n_units):
        unit_id = f"dv-{i:04d}"
        world.add_unit(unit_id, TYPES[i % len(TYPES)], codes[i % communes])
        ids.append(unit_id)
    for code in codes:
        world.play(code, PATHS[zlib.crc32(code.encode()) % len(PATHS)])
    for i, unit_id in enumerate(ids):
        world.play(unit_id, PATHS[(i // len(TYPES)) % len(PATHS)])
        if i % 13 == 0:
            world.incident(unit_id, CRITERIA[world.units[unit_id]][-1])
    return world


def key_of(env: Envelope) -> str:
    return env.unit_id or env.stream_id


def records(envelopes: list[Envelope], partitions: int = 3) -> list[Record]:
    """Broker records of the envelopes: one topic per producer, partition by key."""
    offsets: dict[tuple[str, int], int] = {}
    out = []
    for env in envelopes:
        topic, key = TOPICS[env.producer], key_of(env)
        partition = zlib.crc32(key.encode()) % partitions
        offset = offsets.get((topic, partition), 0)
        offsets[(topic, partition)] = offset + 1
        headers = {"event_id": env.event_id}
        out.append(Record(topic, partition, offset, key, env.to_bytes(), headers))
    return out
