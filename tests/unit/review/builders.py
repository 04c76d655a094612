"""Events and case states for review's domain tests, shaped as registration emits them."""

from __future__ import annotations

from services.review.domain.case import CaseState, Entry, fold
from shared.events.registration import DossierSubmitted, SelfAssessment, UnitRegistered

UNIT, YEAR = "kdc-vinh-hai-1", 2025
RA_IDS = ["RA-1", "RA-2", "RA-3", "RA-4", "RA-5"]


def registered(unit_type: str = "residential_area", unit_id: str = UNIT) -> UnitRegistered:
    return UnitRegistered(
        unit_id=unit_id,
        year=YEAR,
        unit_type=unit_type,
        name="Tổ dân phố 1 (dữ liệu thử)",
        commune_code="vinh-hai",
        managing_level="commune",
        has_party_organization=True,
        jurisdiction="nha-trang",
    )


def submitted(revision: int = 1, met: dict | None = None, unit_id: str = UNIT) -> DossierSubmitted:
    met = {cid: True for cid in RA_IDS} if met is None else met
    lines = tuple(SelfAssessment(cid, ok, f"tự đánh giá {cid}") for cid, ok in met.items())
    return DossierSubmitted(
        dossier_id=f"dossier-{revision}",
        unit_id=unit_id,
        year=YEAR,
        revision=revision,
        self_assessment=lines,
    )


def given(*items) -> CaseState:
    """A case folded from events; an item may be (event, actor_sub) to say who emitted it."""
    entries = []
    for i, item in enumerate(items, start=1):
        event, sub = item if isinstance(item, tuple) else (item, "system:registration")
        entries.append(Entry(event, f"event-{i}", {"sub": sub, "role": "x"}, "2025-11-20T00:00Z"))
    return fold(UNIT, YEAR, entries)
