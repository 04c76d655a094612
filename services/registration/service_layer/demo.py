"""Loads the demo jurisdiction (Nha Trang) through the directory use cases, idempotently: the 2024
directory of 27 communes, then the reorganisations of 1/11/2024 and 1/7/2025 as events."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

from services.registration.adapters import repository as repo
from services.registration.adapters.rules import eligibility_rules
from services.registration.domain import unit
from services.registration.service_layer.commands import append_units, reorganize
from shared.auth import Principal
from shared.events.registration import reorganization_stream

DEMO_FILE = "nha_trang.json"
REORGANIZATIONS_FILE = "reorganizations.json"


def demo_data(name: str = DEMO_FILE) -> dict:
    text = resources.files("services.registration.demo").joinpath(name).read_text("utf-8")
    return json.loads(text)


def load_demo(rt, data: dict | None = None, reorganizations: dict | None = None) -> dict:
    """Add every demo unit not yet in the directory (communes first, as of the file's date),
    then each reorganisation not yet recorded; return what was done."""
    data = data or demo_data()
    on = date.fromisoformat(data["as_of"]) if data.get("as_of") else None
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
                entry["unit_id"], fields, who.jurisdiction, eligibility_rules(), directory, on
            )
            directory = directory.with_unit(event)
            new.append(event)
        append_units(rt, conn, who, new)
    done = _reorganize(rt, reorganizations or demo_data(REORGANIZATIONS_FILE))
    return {"added": len(new), "already_present": len(entries) - len(new), "reorganized": done}


def _reorganize(rt, data: dict) -> list[str]:
    who = Principal(data["admin_sub"], "admin", None, data["province"])
    done = []
    for body in data["reorganizations"]:
        with rt.engine.connect() as conn:
            if rt.store.version_of(conn, reorganization_stream(body["reorganization_id"])):
                continue
        when = date.fromisoformat(body["effective_on"])
        reorganize(rt, who, {**body, "effective_on": when, "demo": True})
        done.append(body["reorganization_id"])
    return done
