"""CW-4 (Circular 124, Art. 5.4) per commune: every unit it manages registered, ≥70% recognised.

Exact counts, no rounding: 17/25 fails, 18/25 passes.
"""

from __future__ import annotations

from fractions import Fraction

from services.reporting.domain.lifecycle import NOT_REGISTERED, RECOGNIZED, UnitYear

CW4_RECOGNISED = Fraction(70, 100)
CW4_TYPES = ("residential_area", "agency", "enterprise", "school")


def percent(part: int, whole: int) -> str:
    """part/whole as a percentage with 2 decimals, rounded half up on the exact fraction."""
    if whole == 0:
        return "0.00"
    hundredths = Fraction(part * 10000, whole) + Fraction(1, 2)
    whole_hundredths = hundredths.numerator // hundredths.denominator
    return f"{whole_hundredths // 100}.{whole_hundredths % 100:02d}"


def cw4(managed: list[UnitYear]) -> dict:
    """CW-4 on exact counts (17/25 fails, 18/25 passes); None when the commune manages none."""
    total = len(managed)
    registered = sum(s.status != NOT_REGISTERED for s in managed)
    recognized = sum(s.status == RECOGNIZED for s in managed)
    meets = None
    if total:
        meets = registered == total and Fraction(recognized, total) >= CW4_RECOGNISED
    return {
        "managed": total,
        "registered": registered,
        "recognized": recognized,
        "registered_ratio": f"{registered}/{total}",
        "recognized_ratio": f"{recognized}/{total}",
        "recognized_pct": percent(recognized, total),
        "meets": meets,
    }


def cw4_by_commune(units, states: dict[str, UnitYear]) -> dict:
    """CW-4 of each commune over the listed units it manages (`units`: report.Unit)."""
    communes = sorted({u.commune_code for u in units})
    return {
        code: cw4(
            [
                states[u.unit_id]
                for u in units
                if u.commune_code == code
                and u.unit_type in CW4_TYPES
                and u.managing_level == "commune"
            ]
        )
        for code in communes
    }
