"""Loads the versioned rule files (calendar defaults, eligibility) that the domain reads."""

import json
from functools import cache
from importlib import resources


@cache
def load_rules(name: str) -> dict:
    text = resources.files("services.registration.rules").joinpath(name).read_text("utf-8")
    return json.loads(text)


def calendar_rules() -> dict:
    return load_rules("calendar.v1.json")


def eligibility_rules() -> dict:
    return load_rules("eligibility.v1.json")
