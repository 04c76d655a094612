"""An independent count of a year's figures, straight from the raw wire envelopes.

Deliberately written apart from the reporting service's fold, over plain dicts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

STEP_TYPES = {"UnitRegistered", "DossierSubmitted", "DossierReturned", "RecommendationMade"}
END_TYPES = {"RecognitionDecided", "RecognitionAnnulled"}


def pct(part: int, whole: int) -> str:
    if not whole:
        return "0.00"
    value = Decimal(part) * 100 / Decimal(whole)
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def outcome_of(events: list[dict]) -> dict:
    types = [e["event_type"] for e in events]
    recs = [e for e in events if e["event_type"] == "RecommendationMade"]
    ends = [e for e in events if e["event_type"] in END_TYPES]
    last_end = ends[-1] if ends else None
    out = {
        "registered": "UnitRegistered" in types,
        "dossiers_filed": "DossierSubmitted" in types,
        "returned": "DossierReturned" in types,
        "recommendation": recs[-1]["payload"]["recommendation"] if recs else None,
        "failing": [f["criterion_id"] for f in recs[-1]["payload"]["findings"] if not f["met"]]
        if recs
        else [],
        "recognized": False,
        "reason": None,
    }
    if last_end and last_end["event_type"] == "RecognitionAnnulled":
        out["reason"] = "annulled"
    elif last_end and last_end["payload"]["decision"] == "recognized":
        out["recognized"] = True
    elif last_end:
        out["reason"] = "criteria_failed"
    elif not out["registered"]:
        out["reason"] = "never_registered"
    elif not out["dossiers_filed"]:
        out["reason"] = "no_dossier"
    return out


def totals(outcomes: list[dict]) -> dict:
    n = len(outcomes)
    t = {
        "listed": n,
        "registered": sum(o["registered"] for o in outcomes),
        "dossiers_filed": sum(o["dossiers_filed"] for o in outcomes),
        "returned": sum(o["returned"] for o in outcomes),
        "recommended_achieved": sum(o["recommendation"] == "achieved" for o in outcomes),
        "recommended_not_achieved": sum(o["recommendation"] == "not_achieved" for o in outcomes),
        "recognized": sum(o["recognized"] for o in outcomes),
        "not_recognized": sum(o["reason"] is not None for o in outcomes),
    }
    reasons = Counter(o["reason"] for o in outcomes)
    for reason in ("never_registered", "no_dossier", "criteria_failed", "annulled"):
        t[reason] = reasons[reason]
    t["in_progress"] = n - t["recognized"] - t["not_recognized"]
    for key in ("registered", "dossiers_filed", "recognized", "not_recognized"):
        t[f"{key}_pct"] = pct(t[key], n)
    return t


def expected(wires: list[dict], year: int) -> dict:
    """Totals, per type, per commune, CW-4, failures and decision numbers of `year`."""
    directory = {w["unit_id"]: w["payload"] for w in wires if w["event_type"] == "UnitAdded"}
    stories = defaultdict(list)
    for w in sorted(wires, key=lambda w: w["occurred_at"]):
        if w["year"] == year and w["unit_id"] and w["event_type"] in STEP_TYPES | END_TYPES:
            stories[w["unit_id"]].append(w)
    outcomes = {u: outcome_of(stories[u]) for u in directory}
    by_type, by_commune = defaultdict(list), defaultdict(list)
    for unit_id, entry in directory.items():
        by_type[entry["unit_type"]].append(outcomes[unit_id])
        by_commune[entry["commune_code"]].append(outcomes[unit_id])
    cw4 = {}
    for code in by_commune:
        managed = [
            outcomes[u]
            for u, e in directory.items()
            if e["commune_code"] == code
            and e["unit_type"] != "commune"
            and e["managing_level"] == "commune"
        ]
        reg, rec = sum(o["registered"] for o in managed), sum(o["recognized"] for o in managed)
        cw4[code] = {
            "registered_ratio": f"{reg}/{len(managed)}",
            "recognized_ratio": f"{rec}/{len(managed)}",
            "meets": (reg == len(managed) and 10 * rec >= 7 * len(managed)) if managed else None,
        }
    decided = [w for w in wires if w["event_type"] == "RecognitionDecided" and w["year"] == year]
    return {
        "totals": totals(list(outcomes.values())),
        "by_unit_type": {k: totals(v) for k, v in by_type.items()},
        "by_commune": {k: totals(v) for k, v in by_commune.items()},
        "cw4": cw4,
        "failures": dict(Counter(c for o in outcomes.values() for c in o["failing"])),
        "decisions": sorted(
            (w["unit_id"], w["payload"]["decision_number"], w["actor"]["sub"]) for w in decided
        ),
    }
