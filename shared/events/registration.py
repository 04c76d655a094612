"""Events produced by the registration service (stdlib only, so domain code may import them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


def unit_stream(unit_id: str) -> str:
    """The registration stream of a unit's directory entry (UnitAdded, UnitUpdated): other
    services wait on it when an event about a unit overtakes the unit itself."""
    return f"unit-{unit_id}"


@dataclass(frozen=True)
class DocumentRef:
    kind: str
    sha256: str
    filename: str = ""
    size: int = 0


@dataclass(frozen=True)
class SelfAssessment:
    criterion_id: str
    met: bool
    note: str = ""


@dataclass(frozen=True)
class CampaignScheduled:
    year: int
    registration_deadline: date
    period_start: date
    period_end: date
    ra_period_start: date
    ra_period_end: date
    dossier_deadline: date
    catalogue_version: str
    calendar_version: str = ""


@dataclass(frozen=True)
class UnitAdded:
    unit_id: str
    name: str
    unit_type: str
    commune_code: str
    managing_level: str
    has_party_organization: bool
    contact_email: str
    jurisdiction: str
    enterprise_size: str | None = None
    school_level: str | None = None
    armed_forces: bool | None = None
    demo: bool = False


@dataclass(frozen=True)
class UnitUpdated(UnitAdded):
    pass


@dataclass(frozen=True)
class UnitRegistered:
    unit_id: str
    year: int
    unit_type: str
    name: str
    commune_code: str
    managing_level: str
    has_party_organization: bool
    jurisdiction: str
    documents: tuple[DocumentRef, ...] = ()
    figures: dict = field(default_factory=dict)
    late: bool = False
    late_reason: str | None = None


@dataclass(frozen=True)
class DossierSubmitted:
    dossier_id: str
    unit_id: str
    year: int
    revision: int
    documents: tuple[DocumentRef, ...] = ()
    self_assessment: tuple[SelfAssessment, ...] = ()
    late: bool = False
    late_reason: str | None = None


@dataclass(frozen=True)
class LateExceptionGranted:
    """An admin lets one unit take a step after its deadline (`step`: registration | dossier)."""

    unit_id: str
    year: int
    step: str
    reason: str
    until: date | None = None


def reorganization_stream(reorganization_id: str) -> str:
    return f"reorganization-{reorganization_id}"


@dataclass(frozen=True)
class UnitChange:
    """One change of a reorganisation: the codes `from_codes` (wire name `from`) became `to`,
    named `name`; `kind` merge (several, or one absorbing others) or rename (one to one)."""

    from_codes: tuple[str, ...]
    to: str
    name: str
    kind: str


@dataclass(frozen=True)
class AdministrativeUnitsReorganized:
    """Communes merged or renamed on `effective_on` by `legal_basis` (a resolution). Old codes
    stay as aliases of what they became, for history; each unit keeps its identity."""

    reorganization_id: str
    effective_on: date
    legal_basis: str
    changes: tuple[UnitChange, ...]
    province: str = ""
    demo: bool = False
