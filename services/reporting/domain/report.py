"""The year's report for a jurisdiction: counts, exact percentages, reasons, CW-4, decisions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from services.reporting.domain.cw4 import cw4_by_commune, percent
from services.reporting.domain.lifecycle import (
    ANNULLED,
    NOT_RECOGNIZED,
    NOT_REGISTERED,
    RECOGNIZED,
    REGISTERED,
    UnitYear,
)

REASONS = ("never_registered", "no_dossier", "criteria_failed", "annulled")
COUNTS = (
    "listed",
    "registered",
    "dossiers_filed",
    "returned",
    "recommended_achieved",
    "recommended_not_achieved",
    "recognized",
    "not_recognized",
    *REASONS,
    "in_progress",
)
PERCENTAGES = {
    "registered_pct": "registered",
    "dossiers_filed_pct": "dossiers_filed",
    "recognized_pct": "recognized",
    "not_recognized_pct": "not_recognized",
}


@dataclass(frozen=True)
class Unit:
    """A directory entry as of the report's moment."""

    unit_id: str
    name: str
    unit_type: str
    commune_code: str
    jurisdiction: str
    managing_level: str = "commune"


def not_recognized_reason(state: UnitYear) -> str | None:
    """Why the unit is not recognised as things stand, or None (recognised or still in review)."""
    if state.status == NOT_REGISTERED:
        return "never_registered"
    if state.status == REGISTERED and state.dossiers_filed == 0:
        return "no_dossier"
    if state.status == NOT_RECOGNIZED:
        return "criteria_failed"
    if state.status == ANNULLED:
        return "annulled"
    return None


def _flags(state: UnitYear) -> dict[str, bool]:
    reason = not_recognized_reason(state)
    return {
        "listed": True,
        "registered": state.status != NOT_REGISTERED,
        "dossiers_filed": state.dossiers_filed > 0,
        "returned": state.returns > 0,
        "recommended_achieved": state.recommendation == "achieved",
        "recommended_not_achieved": state.recommendation == "not_achieved",
        "recognized": state.status == RECOGNIZED,
        "not_recognized": reason is not None,
        **{r: reason == r for r in REASONS},
        "in_progress": reason is None and state.status != RECOGNIZED,
    }


def counts(states: list[UnitYear]) -> dict:
    tally = dict.fromkeys(COUNTS, 0)
    for state in states:
        for key, hit in _flags(state).items():
            tally[key] += hit
    for key, part in PERCENTAGES.items():
        tally[key] = percent(tally[part], tally["listed"])
    return tally


def _grouped(units: list[Unit], states: dict[str, UnitYear], key) -> dict:
    groups: dict[str, list[UnitYear]] = {}
    for unit in units:
        groups.setdefault(key(unit), []).append(states[unit.unit_id])
    return {name: counts(group) for name, group in sorted(groups.items())}


def _failures(units: list[Unit], states: dict[str, UnitYear]) -> dict[str, int]:
    tally = Counter(c for u in units for c in states[u.unit_id].failing_criteria)
    return dict(sorted(tally.items()))


def _decisions(units: list[Unit], states: dict[str, UnitYear]) -> list[dict]:
    rows = [
        {
            "unit_id": u.unit_id,
            "name": u.name,
            "unit_type": u.unit_type,
            "commune_code": u.commune_code,
            "decision": s.decision,
            "decision_number": s.decision_number,
            "decided_on": s.decided_on.isoformat(),
            "signer": s.signer,
            "annulled": s.status == ANNULLED,
            "annul_reason": s.annul_reason,
        }
        for u in units
        if (s := states[u.unit_id]).decision_number is not None
    ]
    return sorted(rows, key=lambda r: (r["decided_on"], r["decision_number"], r["unit_id"]))


def _unit_rows(units: list[Unit], states: dict[str, UnitYear]) -> list[dict]:
    return [
        {
            "unit_id": u.unit_id,
            "name": u.name,
            "unit_type": u.unit_type,
            "commune_code": u.commune_code,
            "status": (s := states[u.unit_id]).status,
            "decision_number": s.decision_number,
            "not_recognized_reason": not_recognized_reason(s),
            "failing_criteria": list(s.failing_criteria),
        }
        for u in units
    ]


def build_report(
    year: int, jurisdiction: str, as_of: str, units: list[Unit], states: dict[str, UnitYear]
) -> dict:
    """`states` holds the folded year of every unit listed (UnitYear() when it did nothing)."""
    units = sorted(units, key=lambda u: (u.commune_code, u.name, u.unit_id))
    return {
        "year": year,
        "jurisdiction": jurisdiction,
        "as_of": as_of,
        "totals": counts([states[u.unit_id] for u in units]),
        "by_unit_type": _grouped(units, states, lambda u: u.unit_type),
        "by_commune": _grouped(units, states, lambda u: u.commune_code),
        "cw4_by_commune": cw4_by_commune(units, states),
        "failures_by_criterion": _failures(units, states),
        "decisions": _decisions(units, states),
        "units": _unit_rows(units, states),
    }
