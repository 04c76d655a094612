"""Loads the versioned rule files: calendar, eligibility, requirements, criteria ids, file types."""

import json
from functools import cache
from importlib import resources

from services.registration.domain.errors import NotFound


@cache
def load_rules(name: str) -> dict:
    text = resources.files("services.registration.rules").joinpath(name).read_text("utf-8")
    return json.loads(text)


def calendar_rules() -> dict:
    return load_rules("calendar.v1.json")


def eligibility_rules() -> dict:
    return load_rules("eligibility.v1.json")


def requirement_rules() -> dict:
    return load_rules("requirements.v1.json")


def document_rules() -> dict:
    return load_rules("documents.v1.json")


def criteria_ids(catalogue_version: str) -> dict[str, list[str]]:
    """Criterion ids per unit type of the catalogue a campaign names."""
    catalogues = load_rules("criteria_index.v1.json")["catalogues"]
    if catalogue_version not in catalogues:
        raise NotFound(f"Không có danh mục tiêu chí phiên bản {catalogue_version}.")
    return catalogues[catalogue_version]
