"""Loads the demo jurisdiction (Nha Trang) through the directory use cases, idempotently."""

from __future__ import annotations

import json
from importlib import resources

from services.registration.adapters import repository as repo
from services.registration.adapters.rules import eligibility_rules
from services.registration.domain import unit
from services.registration.service_layer.commands import append_units
from shared.auth import Principal

DEMO_FILE = "nha_trang.json"


def demo_data(name: str = DEMO_FILE) -> dict:
    text = resources.files("services.registration.demo").joinpath(name).read_text("utf-8")
    return json.loads(text)


def load_demo(rt, data: dict | None = None) -> dict:
    """Add every demo unit not yet in the directory (communes first); return what was done."""
    data = data or demo_data()
    who = Principal(data["admin_sub"], "admin", None, data["jurisdiction"])
    entries = [{**e, "demo": True} for e in data["units"]]
    entries.sort(key=lambda e: e["unit_type"] != "commune")
    with rt.engine.begin() as conn:
        directory = repo.directory(
            conn, rt.jurisdictions, who.jurisdiction, [e["unit_id"] for e in entries]
        )
        new = []
        for entry in entries:
            fields = {k: v for k, v in entry.items() if k != "unit_id"}
            if entry["unit_id"] in directory.unit_ids:
                continue
            [event] = unit.add_unit(
                entry["unit_id"], fields, who.jurisdiction, eligibility_rules(), directory
            )
            directory = directory.with_unit(event)
            new.append(event)
        append_units(rt, conn, who, new)
    return {"added": len(new), "already_present": len(entries) - len(new)}
