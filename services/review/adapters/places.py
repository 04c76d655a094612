"""Where a unit sits: the kernel's jurisdiction tree extended down to communes.

The configured tree (shared/data/jurisdictions.json) stops at districts. A commune-level official
(a ward's People's Committee or police) carries the commune's `commune_code` as the token's
`jurisdiction`; the commune hangs under the jurisdiction of its own directory entry (the unit of
type `commune` with that code), which places its units under a district and a province. Who may
see which unit is the kernel's one rule (`shared.auth.may_see`): a commune-level token the units
of its commune, a district token everything under it, communes included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import sqlalchemy as sa

from services.review.adapters.tables import units
from shared.auth import Principal, ensure_may_see, may_see
from shared.jurisdictions import Jurisdictions


@dataclass(frozen=True)
class Places:
    tree: Jurisdictions
    levels: dict  # tree code → province | district
    communes: dict  # commune_code → the jurisdiction of the commune's directory entry

    # Reach is the kernel's rule (shared.auth.may_see), the same in every service.
    def may_see(self, who: Principal, unit) -> bool:
        return may_see(who, unit.unit_id, unit.jurisdiction, self.tree, unit.commune_code)

    def ensure_may_see(self, who: Principal, unit) -> None:
        ensure_may_see(who, unit.unit_id, unit.jurisdiction, self.tree, unit.commune_code)

    def places_of(self, unit) -> dict:
        """The administrative units above a unit, by level: commune, district, province."""
        anchor = self.communes.get(unit.commune_code, unit.jurisdiction)
        return {
            "commune": unit.commune_code,
            "district": self._up_to(anchor, "district"),
            "province": self._up_to(anchor, "province"),
        }

    def province_of(self, jurisdiction: str | None) -> str | None:
        anchor = self.communes.get(jurisdiction, jurisdiction)
        return self._up_to(anchor, "province")

    def _up_to(self, code: str | None, level: str) -> str | None:
        seen = set()
        while code is not None and code not in seen:
            if self.levels.get(code) == level:
                return code
            seen.add(code)
            code = self.tree.parents.get(code)
        return None


def tree_levels() -> dict:
    # The kernel's Jurisdictions keeps parents and names only; the levels are in the same file.
    text = resources.files("shared.data").joinpath("jurisdictions.json").read_text("utf-8")
    return {code: entry.get("level") for code, entry in json.loads(text)["units"].items()}


def places(conn, tree: Jurisdictions, levels: dict) -> Places:
    """Every commune code review has seen, placed under its commune's entry (else any unit's)."""
    rows = conn.execute(
        sa.select(units.c.commune_code, units.c.jurisdiction, units.c.unit_type).order_by(
            (units.c.unit_type == "commune").desc()
        )
    )
    communes: dict = {}
    for r in rows:
        communes.setdefault(r.commune_code, r.jurisdiction)
    return Places(tree, levels, communes)
