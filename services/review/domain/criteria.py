"""The criteria catalogue as data: which criteria a unit type must meet (Art. 4–7)."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("fact", "threshold", "must_not_happen", "depends_on_units")


@dataclass(frozen=True)
class Criterion:
    criterion_id: str
    unit_types: tuple[str, ...]
    title: str
    kind: str
    verified: bool
    basis: str = ""


@dataclass(frozen=True)
class Catalogue:
    version: str
    criteria: tuple[Criterion, ...]

    def for_unit_type(self, unit_type: str | None) -> tuple[Criterion, ...]:
        if unit_type is None:
            return self.criteria
        return tuple(c for c in self.criteria if unit_type in c.unit_types)

    def ids_for(self, unit_type: str) -> list[str]:
        return [c.criterion_id for c in self.for_unit_type(unit_type)]


def catalogue_from(data: dict) -> Catalogue:
    """Build the catalogue from its JSON form (the rules file), refusing unknown kinds."""
    criteria = []
    for raw in data["criteria"]:
        if raw["kind"] not in KINDS:
            raise ValueError(f"{raw['criterion_id']}: unknown kind {raw['kind']!r}")
        criteria.append(
            Criterion(
                criterion_id=raw["criterion_id"],
                unit_types=tuple(raw["unit_types"]),
                title=raw["title"],
                kind=raw["kind"],
                verified=bool(raw["verified"]),
                basis=raw.get("basis", ""),
            )
        )
    return Catalogue(data["version"], tuple(criteria))
