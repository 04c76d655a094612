"""Registration's read side: a year's campaign, directory entries and one unit's case."""

from __future__ import annotations

from services.registration.adapters import repository as repo
from services.registration.domain import campaign, case
from shared.auth import Forbidden, Principal, ensure_may_see
from shared.persistence.keyset import Page, Paged


def get_campaign(rt, year: int) -> campaign.Campaign:
    with rt.engine.connect() as conn:
        return repo.load_campaign(rt.store, conn, year)


def get_unit(rt, who: Principal, unit_id: str):
    with rt.engine.connect() as conn:
        entry = repo.load_unit(rt.store, conn, unit_id)
    ensure_may_see(who, unit_id, entry.jurisdiction, rt.jurisdictions, entry.commune_code)
    return entry


def list_units(rt, who: Principal, page: Page, commune_code=None, unit_type=None) -> Paged:
    if who.role == "unit":
        raise Forbidden("Tài khoản đơn vị không xem được danh bạ.")
    with rt.engine.connect() as conn:
        scope = who.jurisdiction
        return repo.list_units(conn, rt.jurisdictions, scope, page, commune_code, unit_type)


def get_case(rt, who: Principal, unit_id: str, year: int) -> case.UnitYear:
    with rt.engine.connect() as conn:
        entry = repo.load_unit(rt.store, conn, unit_id)
        ensure_may_see(who, unit_id, entry.jurisdiction, rt.jurisdictions, entry.commune_code)
        return repo.load_case(rt.store, conn, unit_id, year)
