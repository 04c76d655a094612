"""Events produced by the review service (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Finding:
    criterion_id: str
    met: bool
    proposed: bool | None = None
    note: str = ""


@dataclass(frozen=True)
class DossierReturned:
    unit_id: str
    year: int
    dossier_id: str
    revision: int
    reasons: tuple[str, ...]
    due_date: date


@dataclass(frozen=True)
class IncidentRecorded:
    incident_id: str
    unit_id: str
    occurred_on: date
    criterion_id: str
    description: str


@dataclass(frozen=True)
class RecommendationMade:
    unit_id: str
    year: int
    dossier_id: str
    revision: int
    recommendation: str
    findings: tuple[Finding, ...]
    catalogue_version: str


@dataclass(frozen=True)
class RecognitionDecided:
    unit_id: str
    year: int
    decision: str
    decision_number: str
    decided_on: date
    recommendation_event_id: str
    note: str = ""


@dataclass(frozen=True)
class RecognitionAnnulled:
    unit_id: str
    year: int
    decision_number: str
    reason: str
