"""The year's report for a jurisdiction: counts, exact percentages, failures, decisions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from services.reporting.domain.lifecycle import (
    ANNULLED,
    NOT_RECOGNIZED,
    NOT_REGISTERED,
    RECOGNIZED,
    UnitYear,
)

COUNTS = (
    "listed",
    "registered",
    "dossiers_filed",
    "returned",
    "recommended_achieved",
    "recommended_not_achieved",
    "recognized",
    "not_recognized",
    "annulled",
)


@dataclass(frozen=True)
class Unit:
    """A directory entry as of the report's moment."""

    unit_id: str
    name: str
    unit_type: str
    commune_code: str
    jurisdiction: str


def percent(part: int, whole: int) -> str:
    """part/whole as a percentage with 2 decimals, rounded half up on the exact fraction."""
    if whole == 0:
        return "0.00"
    hundredths = Fraction(part * 10000, whole) + Fraction(1, 2)
    whole_hundredths = hundredths.numerator // hundredths.denominator
    return f"{whole_hundredths // 100}.{whole_hundredths % 100:02d}"


def _flags(state: UnitYear) -> dict[str, bool]:
    return {
        "listed": True,
        "registered": state.status != NOT_REGISTERED,
        "dossiers_filed": state.dossiers_filed > 0,
        "returned": state.returns > 0,
        "recommended_achieved": state.recommendation == "achieved",
        "recommended_not_achieved": state.recommendation == "not_achieved",
        "recognized": state.status == RECOGNIZED,
        "not_recognized": state.status == NOT_RECOGNIZED,
        "annulled": state.status == ANNULLED,
    }


def counts(states: list[UnitYear]) -> dict:
    tally = dict.fromkeys(COUNTS, 0)
    for state in states:
        for key, hit in _flags(state).items():
            tally[key] += hit
    tally["registered_pct"] = percent(tally["registered"], tally["listed"])
    tally["recognized_pct"] = percent(tally["recognized"], tally["listed"])
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
            "decision": s.decision,
            "decision_number": s.decision_number,
            "decided_on": s.decided_on.isoformat(),
            "signer": s.signer,
            "annulled": s.status == ANNULLED,
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
            "status": states[u.unit_id].status,
            "decision_number": states[u.unit_id].decision_number,
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
        "failures_by_criterion": _failures(units, states),
        "decisions": _decisions(units, states),
        "units": _unit_rows(units, states),
    }
