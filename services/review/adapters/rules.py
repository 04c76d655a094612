"""Loads the versioned criteria catalogue that the domain receives as data."""

import json
from functools import cache
from importlib import resources

from services.review.domain.criteria import Catalogue, catalogue_from

CATALOGUE_FILE = "criteria.v1.json"


@cache
def load_catalogue(name: str = CATALOGUE_FILE) -> Catalogue:
    text = resources.files("services.review.rules").joinpath(name).read_text("utf-8")
    return catalogue_from(json.loads(text))


def catalogue_for_year(year: int | None = None) -> Catalogue:
    # One catalogue is in force for every year so far; a successor gets its own file.
    return load_catalogue()
