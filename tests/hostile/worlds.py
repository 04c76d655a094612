"""Seeded worlds for the authorisation matrix: three units in two districts of Khánh Hòa.

`own-ra` (commune vinh-hai) and `other-ra` (commune phuoc-hai) lie in Nha Trang, `far-ra`
(commune cam-linh) in Cam Ranh. Registration is seeded over its own API; the other services
receive registration's events through their real consumers.
"""

from __future__ import annotations

import io
import shutil
import uuid
from datetime import date

from shared.events import TOPICS
from shared.events.registration import (
    CampaignScheduled,
    DocumentRef,
    DossierSubmitted,
    UnitAdded,
    UnitRegistered,
)
from shared.messaging.ports import Record
from shared.persistence.engine import create_schema, make_engine
from shared.persistence.event_store import Context, EventStore
from shared.runtime import consumer_name, make_consumer
from tests.hostile.apps import bearer, build_app
from tests.unit.registration import files

# unit id → (commune, district)
UNITS = {
    "own-ra": ("vinh-hai", "nha-trang"),
    "other-ra": ("phuoc-hai", "nha-trang"),
    "far-ra": ("cam-linh", "cam-ranh"),
}
TARGETS = {"own": "own-ra", "other_unit": "other-ra", "other_jurisdiction": "far-ra"}
YEARS = {"registration": 2026, "review": 2025, "notification": 2026, "reporting": 2026}
ADMIN = {"sub": "admin-1", "role": "admin"}
CLERK = {"sub": "clerk-1", "role": "unit"}


def seed(service: str, directory) -> dict:
    """Build the service's world under `directory`; the facts the requests need (e.g. hashes)."""
    app = build_app(service, directory)
    facts = _registration(app) if service == "registration" else _by_events(service, app, directory)
    app.config["ANTT_ENGINE"].dispose()
    return facts


def copy_world(template, directory):
    """A private copy of a seeded world, for a request that may change it."""
    shutil.copytree(template, directory, dirs_exist_ok=True)
    return directory


def _registration(app) -> dict:
    client = app.test_client()

    def post(path, body, headers):
        answer = client.post(f"/api/v1{path}", json=body, headers=headers)
        assert answer.status_code in (200, 201), (path, answer.get_json())
        return answer.get_json()

    admins = {
        d: bearer(app, "admin", f"admin-{d}", jurisdiction=d) for d in ("nha-trang", "cam-ranh")
    }
    post("/campaigns/2026", {}, admins["nha-trang"])
    hashes = {}
    for commune, district in {c: d for c, d in UNITS.values()}.items():
        post("/units", _unit(commune, "commune", commune, "province"), admins[district])
    for unit_id, (commune, district) in UNITS.items():
        post("/units", _unit(unit_id, "residential_area", commune, "commune"), admins[district])
        clerk = bearer(app, "unit", f"clerk-{unit_id}", unit_id=unit_id)
        documents = []
        for kind in ("party_resolution", "registration_form"):
            data = files.pdf(f"{unit_id} {kind}")
            answer = client.post(
                "/api/v1/documents",
                headers=clerk,
                data={"file": (io.BytesIO(data), f"{kind}.pdf")},
                content_type="multipart/form-data",
            )
            documents.append({"kind": kind, "sha256": answer.get_json()["sha256"]})
        hashes[unit_id] = documents[0]["sha256"]
        figures = {"households_resident": 120, "households_registered": 120}
        body = {"unit_id": unit_id, "year": 2026, "documents": documents, "figures": figures}
        post("/registrations", body, clerk)
    return {"documents": hashes}


def _unit(unit_id, unit_type, commune, level) -> dict:
    return {
        "unit_id": unit_id,
        "name": f"Đơn vị {unit_id}",
        "unit_type": unit_type,
        "commune_code": commune,
        "managing_level": level,
        "has_party_organization": True,
        "contact_email": f"{unit_id}@example.vn",
    }


def _by_events(service: str, app, directory) -> dict:
    rt = app.config["ANTT_RUNTIME"]
    consumer = make_consumer(rt, consumer_name(service))
    engine = make_engine(f"sqlite:///{directory / 'producer.db'}")
    create_schema(engine)
    store = EventStore("registration", TOPICS["registration"], rt.clock)
    year = YEARS[service]
    for offset, (stream, event, actor) in enumerate(_registration_events(year)):
        with engine.begin() as conn:
            version = store.version_of(conn, stream)
            [env] = store.append(conn, stream, version, [event], Context(actor, str(uuid.uuid4())))
        record = Record(
            TOPICS["registration"], 0, offset, env.unit_id or stream, env.to_bytes(), {}
        )
        outcome = consumer.consume(record)
        assert outcome == "handled", (service, env.event_type, outcome)
    engine.dispose()
    if service != "reporting":
        return {}
    # The manifest of Nha Trang's report, for the reproduce request.
    answer = app.test_client().get(
        f"/api/v1/reports/{year}", headers=bearer(app, "auditor", jurisdiction="nha-trang")
    )
    assert answer.status_code == 200, answer.get_json()
    return {"manifest": answer.get_json()["manifest"]}


def _registration_events(year: int):
    yield f"campaign-{year}", _campaign(year), ADMIN
    for commune, district in {c: d for c, d in UNITS.values()}.items():
        yield f"unit-{commune}", _added(commune, "commune", commune, "district", district), ADMIN
    for unit_id, (commune, district) in UNITS.items():
        added = _added(unit_id, "residential_area", commune, "commune", district)
        yield f"unit-{unit_id}", added, ADMIN
        case = f"case-{unit_id}-{year}"
        yield case, _registered(added, year), CLERK
        yield case, _submitted(unit_id, year), CLERK


def _campaign(year: int) -> CampaignScheduled:
    return CampaignScheduled(
        year=year,
        registration_deadline=date(year, 3, 31),
        period_start=date(year - 1, 11, 16),
        period_end=date(year, 11, 15),
        ra_period_start=date(year - 1, 11, 1),
        ra_period_end=date(year, 10, 31),
        dossier_deadline=date(year, 11, 30),
        catalogue_version="tt124-2021-v1",
    )


def _added(unit_id, unit_type, commune, level, district) -> UnitAdded:
    return UnitAdded(
        unit_id=unit_id,
        name=f"Đơn vị {unit_id}",
        unit_type=unit_type,
        commune_code=commune,
        managing_level=level,
        has_party_organization=True,
        contact_email=f"{unit_id}@example.vn",
        jurisdiction=district,
    )


def _registered(u: UnitAdded, year: int) -> UnitRegistered:
    return UnitRegistered(
        unit_id=u.unit_id,
        year=year,
        unit_type=u.unit_type,
        name=u.name,
        commune_code=u.commune_code,
        managing_level=u.managing_level,
        has_party_organization=True,
        jurisdiction=u.jurisdiction,
        documents=(DocumentRef("registration_form", "a" * 64, "dang-ky.pdf", 1200),),
        figures={"households_resident": 120, "households_registered": 120},
    )


def _submitted(unit_id: str, year: int) -> DossierSubmitted:
    return DossierSubmitted(
        dossier_id=f"{unit_id}-{year}-r1", unit_id=unit_id, year=year, revision=1
    )
