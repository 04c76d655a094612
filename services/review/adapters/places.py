"""Where a unit sits on a date: the kernel's tree by period (shared/jurisdictions.py), down to
communes.

A commune-level official carries the commune's `commune_code` as the token's `jurisdiction`.
Who may see which unit is the kernel's one rule (`shared.auth.may_see`). A commune the
configured tree does not know hangs under the jurisdiction of its own directory entry (the unit
of type `commune` with that code).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from services.review.adapters.tables import units
from shared.auth import Principal, ensure_may_see, may_see
from shared.jurisdictions import Jurisdictions


@dataclass(frozen=True)
class Places:
    tree: Jurisdictions
    communes: dict  # commune_code → the jurisdiction of the commune's directory entry

    # Reach is the kernel's rule (shared.auth.may_see), the same in every service.
    def may_see(self, who: Principal, unit) -> bool:
        return may_see(who, unit.unit_id, unit.jurisdiction, self.tree, unit.commune_code)

    def ensure_may_see(self, who: Principal, unit) -> None:
        ensure_may_see(who, unit.unit_id, unit.jurisdiction, self.tree, unit.commune_code)

    def places_of(self, unit, on: date) -> dict:
        """The administrative units above a unit on `on`, by level: commune, district, province."""
        anchor = self.communes.get(unit.commune_code, unit.jurisdiction)
        return self.tree.places(unit.commune_code, anchor, on)

    def province_of(self, jurisdiction: str | None, on: date) -> str | None:
        anchor = self.communes.get(jurisdiction, jurisdiction)
        return self.tree.places(jurisdiction, anchor, on)["province"]


def places(conn, tree: Jurisdictions) -> Places:
    """Every commune code review has seen, placed under its commune's entry (else any unit's)."""
    rows = conn.execute(
        sa.select(units.c.commune_code, units.c.jurisdiction, units.c.unit_type).order_by(
            (units.c.unit_type == "commune").desc()
        )
    )
    communes: dict = {}
    for r in rows:
        communes.setdefault(r.commune_code, r.jurisdiction)
    return Places(tree, communes)
