"""The criteria catalogue as data: which criteria a unit type must meet (Art. 4–7), by year."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

KINDS = ("fact", "threshold", "must_not_happen", "depends_on_units")
CIRCULAR_PREFIXES = ("RA-", "CW-", "AE-", "ED-")


class CatalogueError(ValueError):
    """A rules file that cannot be a catalogue (unknown kind, clashing id, bad dates)."""


@dataclass(frozen=True)
class SubItem:
    criterion_id: str
    title: str
    verified: bool
    national_security: bool = False


@dataclass(frozen=True)
class Criterion:
    criterion_id: str
    unit_types: tuple[str, ...]
    title: str
    kind: str
    verified: bool
    basis: str = ""
    sub_items: tuple[SubItem, ...] = ()
    propose: dict = field(default_factory=dict)
    accepts_incidents: bool = False
    source: str = "circular"

    @property
    def item_ids(self) -> tuple[str, ...]:
        return (self.criterion_id, *(s.criterion_id for s in self.sub_items))


@dataclass(frozen=True)
class Catalogue:
    version: str
    criteria: tuple[Criterion, ...]
    effective_from: date | None = None
    effective_to: date | None = None
    province: str | None = None

    def for_unit_type(self, unit_type: str | None) -> tuple[Criterion, ...]:
        if unit_type is None:
            return self.criteria
        return tuple(c for c in self.criteria if unit_type in c.unit_types)

    def ids_for(self, unit_type: str) -> list[str]:
        return [c.criterion_id for c in self.for_unit_type(unit_type)]

    def owner_of(self, item_id: str, unit_type: str) -> Criterion | None:
        """The criterion of the type that `item_id` names, itself or as a sub-item (RA-3a)."""
        return next((c for c in self.for_unit_type(unit_type) if item_id in c.item_ids), None)

    def in_force_during(self, year: int) -> bool:
        starts = self.effective_from is None or self.effective_from.year <= year
        return starts and (self.effective_to is None or self.effective_to.year >= year)


def catalogue_from(data: dict, source: str = "circular") -> Catalogue:
    """Build a catalogue (or a provincial extension) from its JSON form, refusing unknown kinds."""
    criteria = tuple(_criterion(raw, source) for raw in data["criteria"])
    ids = [i for c in criteria for i in c.item_ids]
    if len(ids) != len(set(ids)):
        raise CatalogueError(f"{data['version']}: a criterion id appears twice")
    return Catalogue(
        version=data["version"],
        criteria=criteria,
        effective_from=_date(data.get("effective_from")),
        effective_to=_date(data.get("effective_to")),
        province=data.get("province"),
    )


def extended(base: Catalogue, extensions: list[Catalogue]) -> Catalogue:
    """The base catalogue plus a province's own criteria; the version names every part."""
    if not extensions:
        return base
    for ext in extensions:
        clash = [
            c.criterion_id for c in ext.criteria if c.criterion_id.startswith(CIRCULAR_PREFIXES)
        ]
        if clash:
            raise CatalogueError(f"{ext.version}: ids reserved for the Circular: {clash}")
    added = tuple(c for ext in extensions for c in ext.criteria)
    version = "+".join([base.version, *(e.version for e in extensions)])
    return replace(base, version=version, criteria=base.criteria + added)


def in_force(catalogues: list[Catalogue], year: int) -> Catalogue | None:
    """The catalogue that governs `year`: the latest one in force during it."""
    candidates = [c for c in catalogues if c.in_force_during(year)]
    return max(candidates, key=lambda c: c.effective_from or date.min, default=None)


def _criterion(raw: dict, source: str) -> Criterion:
    if raw["kind"] not in KINDS:
        raise CatalogueError(f"{raw['criterion_id']}: unknown kind {raw['kind']!r}")
    subs = tuple(
        SubItem(
            s["criterion_id"], s["title"], bool(s["verified"]), s.get("national_security", False)
        )
        for s in raw.get("sub_items", ())
    )
    return Criterion(
        criterion_id=raw["criterion_id"],
        unit_types=tuple(raw["unit_types"]),
        title=raw["title"],
        kind=raw["kind"],
        verified=bool(raw["verified"]),
        basis=raw.get("basis", ""),
        sub_items=subs,
        propose=raw.get("propose", {}),
        accepts_incidents=raw.get("accepts_incidents", raw["kind"] == "must_not_happen"),
        source=source,
    )


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
