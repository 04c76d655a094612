"""Registration use cases: each loads state, calls the domain, appends the events it returns."""

from __future__ import annotations

import uuid

from services.registration.adapters import repository as repo
from services.registration.adapters.rules import calendar_rules, eligibility_rules
from services.registration.adapters.tables import case_returns
from services.registration.domain import campaign, case, unit
from shared.auth import Forbidden, Principal, ensure_may_see
from shared.events import REGISTRY
from shared.events.registration import DocumentRef, SelfAssessment
from shared.persistence.event_store import Context


def _context(who: Principal) -> Context:
    return Context(who.actor, str(uuid.uuid4()))


def schedule_campaign(rt, who: Principal, year: int, dates: dict) -> campaign.Campaign:
    with rt.engine.begin() as conn:
        stream = repo.campaign_stream(year)
        current = campaign.fold(repo.events_of(rt.store, conn, stream))
        new = campaign.schedule(current, year, dates, rt.clock.today_vn(), calendar_rules())
        rt.store.append(conn, stream, current.version if current else 0, new, _context(who))
        return repo.load_campaign(rt.store, conn, year)


def get_campaign(rt, year: int) -> campaign.Campaign:
    with rt.engine.connect() as conn:
        return repo.load_campaign(rt.store, conn, year)


def add_unit(rt, who: Principal, fields: dict) -> str:
    unit_id = fields.pop("unit_id", None) or f"u-{uuid.uuid4().hex[:12]}"
    with rt.engine.begin() as conn:
        new = unit.add_unit(
            unit_id, fields, who.jurisdiction, eligibility_rules(), repo.commune_codes(conn)
        )
        [env] = rt.store.append(conn, repo.unit_stream(unit_id), 0, new, _context(who))
        repo.save_unit_row(conn, new[0], env.payload)
    return unit_id


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


def register_unit(rt, who: Principal, body: dict):
    unit_id, year = body["unit_id"], body["year"]
    late_reason = body.get("late_reason")
    if late_reason and who.role != "admin":
        raise Forbidden("Chỉ quản trị viên được ghi nhận ngoại lệ đăng ký muộn.")
    with rt.engine.begin() as conn:
        entry = repo.load_unit(rt.store, conn, unit_id)
        ensure_may_see(who, unit_id, entry.jurisdiction, rt.jurisdictions)
        cal = repo.load_campaign(rt.store, conn, year)
        state = repo.load_case(rt.store, conn, unit_id, year)
        docs = tuple(DocumentRef(**d) for d in body.get("documents", []))
        new = case.register(
            state, entry, cal, rt.clock.today_vn(), docs, body.get("figures", {}), late_reason
        )
        stream = repo.case_stream(unit_id, year)
        return rt.store.append(conn, stream, state.version, new, _context(who))[0]


def submit_dossier(rt, who: Principal, body: dict):
    unit_id, year = body["unit_id"], body["year"]
    with rt.engine.begin() as conn:
        entry = repo.load_unit(rt.store, conn, unit_id)
        ensure_may_see(who, unit_id, entry.jurisdiction, rt.jurisdictions)
        cal = repo.load_campaign(rt.store, conn, year)
        state = repo.load_case(rt.store, conn, unit_id, year)
        expected = body.get("expected_version", state.version)
        docs = tuple(DocumentRef(**d) for d in body.get("documents", []))
        lines = tuple(SelfAssessment(**a) for a in body.get("self_assessment", []))
        new = case.submit_dossier(state, cal, rt.clock.today_vn(), str(uuid.uuid4()), docs, lines)
        stream = repo.case_stream(unit_id, year)
        rt.store.append(conn, stream, expected, new, _context(who))
        return new[0]


def get_case(rt, who: Principal, unit_id: str, year: int) -> case.UnitYear:
    with rt.engine.connect() as conn:
        entry = repo.load_unit(rt.store, conn, unit_id)
        ensure_may_see(who, unit_id, entry.jurisdiction, rt.jurisdictions)
        return repo.load_case(rt.store, conn, unit_id, year)


def record_return(env, event, conn) -> None:
    """Consumer: review returned a dossier; the unit may now submit the next revision."""
    _, _, payload = REGISTRY.encode(event)
    conn.execute(
        case_returns.insert().values(
            event_id=env.event_id, unit_id=event.unit_id, year=event.year, payload=payload
        )
    )


HANDLERS = {"DossierReturned": [record_return]}
