"""Loads review's rule files: criteria catalogues, provincial extensions, periods."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from services.review.domain import legal_bases
from services.review.domain.criteria import Catalogue, catalogue_from, extended, in_force
from services.review.domain.errors import NotFound

CATALOGUE_FILE = "criteria.v1.json"
PERIODS_FILE = "periods.v1.json"
LEGAL_BASES_FILE = "legal_bases.v1.json"


class CatalogueMissing(NotFound):
    """No catalogue is in force for the year asked about."""


@dataclass(frozen=True)
class ReviewRules:
    catalogues: tuple[Catalogue, ...]
    extensions: tuple[Catalogue, ...]
    periods: dict
    # The laws and circulars a decision cites, with their dates (legal_bases.v*.json).
    bases: dict = field(default_factory=lambda: {"bases": []})

    def catalogue(self, year: int, province: str | None = None) -> Catalogue:
        """The Circular's catalogue in force for `year`, plus the province's extensions then."""
        base = in_force(list(self.catalogues), year)
        if base is None:
            raise CatalogueMissing(f"Không có bộ tiêu chí nào có hiệu lực cho năm {year}.")
        added = [e for e in self.extensions if e.province == province and e.in_force_during(year)]
        return extended(base, sorted(added, key=lambda e: e.version))

    def legal_bases(self, on: date) -> tuple[str, ...]:
        return legal_bases.in_force(self.bases, on)


def load_rules(extensions_dir: str | Path | None = None) -> ReviewRules:
    """Every packaged rule file; `extensions_dir` adds a folder of provincial extensions."""
    folder = resources.files("services.review.rules")
    files = sorted(folder.iterdir(), key=lambda f: f.name)
    catalogues = tuple(catalogue_from(_json(f)) for f in files if _is(f, "criteria.v"))
    packaged = folder.joinpath("extensions")
    ext_files = [f for f in packaged.iterdir() if _is(f, "")] if packaged.is_dir() else []
    if extensions_dir:
        ext_files += sorted(Path(extensions_dir).glob("*.json"))
    extensions = tuple(catalogue_from(_json(f), source="province") for f in ext_files)
    periods = _json(folder.joinpath(PERIODS_FILE))
    bases = _json(folder.joinpath(LEGAL_BASES_FILE))
    return ReviewRules(catalogues, extensions, periods, bases)


@cache
def load_catalogue(name: str = CATALOGUE_FILE) -> Catalogue:
    return catalogue_from(_json(resources.files("services.review.rules").joinpath(name)))


def _is(entry, prefix: str) -> bool:
    return entry.name.startswith(prefix) and entry.name.endswith(".json")


def _json(entry) -> dict:
    return json.loads(entry.read_text("utf-8"))
