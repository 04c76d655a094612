"""Event builders shared by the reporting tests (real dataclasses of shared.events)."""

from datetime import date

from shared.events.registration import DossierSubmitted, UnitAdded, UnitRegistered, UnitUpdated
from shared.events.review import (
    DossierReturned,
    Finding,
    RecognitionAnnulled,
    RecognitionDecided,
    RecommendationMade,
)

YEAR = 2025


def unit_added(unit_id, commune="loc-tho", unit_type="residential_area", where="nha-trang"):
    return UnitAdded(
        unit_id=unit_id,
        name=f"Khu dân cư {unit_id}",
        unit_type=unit_type,
        commune_code=commune,
        managing_level="commune",
        has_party_organization=True,
        contact_email=f"{unit_id}@example.vn",
        jurisdiction=where,
    )


def unit_updated(unit_id, commune, where="nha-trang"):
    return UnitUpdated(**vars(unit_added(unit_id, commune, where=where)))


def registered(unit_id, where="nha-trang"):
    return UnitRegistered(
        unit_id=unit_id,
        year=YEAR,
        unit_type="residential_area",
        name=f"Khu dân cư {unit_id}",
        commune_code="loc-tho",
        managing_level="commune",
        has_party_organization=True,
        jurisdiction=where,
    )


def submitted(unit_id, revision=1):
    return DossierSubmitted(
        dossier_id=f"d-{unit_id}", unit_id=unit_id, year=YEAR, revision=revision
    )


def returned(unit_id, revision=1):
    return DossierReturned(
        unit_id=unit_id,
        year=YEAR,
        dossier_id=f"d-{unit_id}",
        revision=revision,
        reasons=("Thiếu biên bản họp",),
        due_date=date(YEAR, 12, 5),
    )


def recommended(unit_id, achieved=True, failing=(), revision=1):
    findings = tuple(Finding(c, c not in failing) for c in ("RA-1", "RA-2", "RA-3"))
    return RecommendationMade(
        unit_id=unit_id,
        year=YEAR,
        dossier_id=f"d-{unit_id}",
        revision=revision,
        recommendation="achieved" if achieved else "not_achieved",
        findings=findings,
        catalogue_version="2025.1",
    )


def decided(unit_id, decision="recognized", number="123/QĐ-UBND"):
    return RecognitionDecided(
        unit_id=unit_id,
        year=YEAR,
        decision=decision,
        decision_number=number,
        decided_on=date(YEAR, 12, 10),
        recommendation_event_id="rec-1",
    )


def annulled(unit_id, number="123/QĐ-UBND"):
    return RecognitionAnnulled(unit_id=unit_id, year=YEAR, decision_number=number, reason="Sai sót")
