"""Registration use cases for campaigns and the directory, and the consumer's handler table."""

from __future__ import annotations

import uuid

from services.registration.adapters import repository as repo
from services.registration.adapters.rules import calendar_rules, eligibility_rules
from services.registration.adapters.tables import case_returns
from services.registration.domain import campaign, unit
from shared.auth import Forbidden, Principal, ensure_may_see
from shared.events import REGISTRY
from shared.persistence.event_store import Context


def context_of(who: Principal) -> Context:
    return Context(who.actor, str(uuid.uuid4()))


def schedule_campaign(rt, who: Principal, year: int, dates: dict) -> campaign.Campaign:
    """Set or edit the year's calendar; every change is one more CampaignScheduled."""
    with rt.engine.begin() as conn:
        stream = repo.campaign_stream(year)
        current = campaign.fold(repo.events_of(rt.store, conn, stream))
        new = campaign.schedule(current, year, dates, rt.clock.today_vn(), calendar_rules())
        rt.store.append(conn, stream, current.version if current else 0, new, context_of(who))
        return repo.load_campaign(rt.store, conn, year)


def get_campaign(rt, year: int) -> campaign.Campaign:
    with rt.engine.connect() as conn:
        return repo.load_campaign(rt.store, conn, year)


def add_unit(rt, who: Principal, fields: dict) -> str:
    fields = dict(fields)
    unit_id = fields.pop("unit_id", None) or f"u-{uuid.uuid4().hex[:12]}"
    with rt.engine.begin() as conn:
        directory = repo.directory(conn, rt.jurisdictions, who.jurisdiction, [unit_id])
        new = unit.add_unit(unit_id, fields, who.jurisdiction, eligibility_rules(), directory)
        append_units(rt, conn, who, new)
    return unit_id


def append_units(rt, conn, who: Principal, new: list) -> None:
    """Append directory events (one stream per unit) and keep the directory table in step."""
    for event in new:
        stream = repo.unit_stream(event.unit_id)
        version = rt.store.version_of(conn, stream)
        [env] = rt.store.append(conn, stream, version, [event], context_of(who))
        repo.save_unit_row(conn, event, env.payload)


def update_unit(rt, who: Principal, unit_id: str, fields: dict):
    with rt.engine.begin() as conn:
        current = repo.load_unit(rt.store, conn, unit_id)
        ensure_may_see(who, unit_id, current.jurisdiction, rt.jurisdictions)
        directory = repo.directory(conn, rt.jurisdictions, who.jurisdiction)
        new = unit.update_unit(current, fields, eligibility_rules(), directory)
        append_units(rt, conn, who, new)
        return new[0] if new else current


def get_unit(rt, who: Principal, unit_id: str):
    with rt.engine.connect() as conn:
        entry = repo.load_unit(rt.store, conn, unit_id)
    ensure_may_see(who, unit_id, entry.jurisdiction, rt.jurisdictions)
    return entry


def list_units(rt, who: Principal, commune_code=None, unit_type=None) -> list[dict]:
    if who.role == "unit":
        raise Forbidden("Tài khoản đơn vị không xem được danh bạ.")
    with rt.engine.connect() as conn:
        return repo.list_units(conn, rt.jurisdictions, who.jurisdiction, commune_code, unit_type)


def record_return(env, event, conn) -> None:
    """Consumer: review returned a dossier; the unit may now submit the next revision."""
    _, _, payload = REGISTRY.encode(event)
    conn.execute(
        case_returns.insert().values(
            event_id=env.event_id, unit_id=event.unit_id, year=event.year, payload=payload
        )
    )


HANDLERS = {"DossierReturned": [record_return]}
