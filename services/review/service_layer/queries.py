"""Review's read side: the criteria in force, the case queue and one case's full view."""

from __future__ import annotations

from dataclasses import asdict

from services.review.adapters import repository as repo
from services.review.domain.case import CaseState, Entry
from services.review.domain.periods import inside
from services.review.service_layer.evidence import CaseContext, case_context, where
from shared.auth import Forbidden, Principal
from shared.persistence.keyset import Page, Paged


def criteria(rt, who: Principal, unit_type=None, year=None, province=None) -> dict:
    """The catalogue in force for the year (default: this year) in the caller's province."""
    year = year or rt.clock.today_vn().year
    if province is None:
        with rt.engine.connect() as conn:
            province = _province_of_caller(rt, conn, who)
    catalogue = rt.deps.rules.catalogue(year, province)
    return {
        "catalogue_version": catalogue.version,
        "year": year,
        "province": province,
        "criteria": list(catalogue.for_unit_type(unit_type)),
    }


def list_cases(
    rt, who: Principal, page: Page, year=None, status=None, commune_code=None, unit_type=None
) -> Paged:
    """A page of the queue: the cases the caller may see, newest year first."""
    if who.role == "unit":
        raise Forbidden("Tài khoản đơn vị chỉ xem được hồ sơ của chính mình.")
    with rt.engine.connect() as conn:
        place = where(rt, conn)

        def summary(key):
            unit = repo.find_unit(conn, key.unit_id)
            if not place.may_see(who, unit):
                return None
            state, _ = repo.load_case(conn, key.unit_id, key.year)
            return _summary(state, unit) if status in (None, state.status) else None

        return repo.case_keys(conn, page, summary, year, commune_code, unit_type)


def case_view(rt, who: Principal, unit_id: str, year: int) -> dict:
    with rt.engine.connect() as conn:
        ctx = case_context(rt, conn, who, unit_id, year)
    state = ctx.state
    return _summary(state, ctx.unit) | {
        "registration": state.registration,
        "current_revision": state.revision,
        "dossiers": _dossiers(state),
        "returns": list(state.returns),
        "catalogue_version": ctx.catalogue.version,
        "evaluation_period": {"start": ctx.period[0], "end": ctx.period[1]},
        "proposals": _proposals(ctx),
        "commune_units": asdict(ctx.commune) if ctx.commune else None,
        # `note` says so in Vietnamese when the rule naming the authority is configuration only.
        "authority": asdict(ctx.authority) | {"note": ctx.authority.note}
        if ctx.authority
        else None,
        "recommendation": _recommendation(state),
        "decision": state.decision,
        "annulment": state.annulment,
        "incidents": [
            asdict(i) | {"counts": inside(i.occurred_on, ctx.period)} for i in ctx.incidents
        ],
        "history": [_history_line(e) for e in ctx.entries],
    }


def _province_of_caller(rt, conn, who: Principal) -> str | None:
    place, today = where(rt, conn), rt.clock.today_vn()
    if who.role == "unit":
        unit = repo.find_unit(conn, who.unit_id)
        return place.places_of(unit, today)["province"] if unit else None
    return place.province_of(who.jurisdiction, today)


def _summary(state: CaseState, unit) -> dict:
    return {
        "unit_id": state.unit_id,
        "year": state.year,
        "status": state.status,
        "outcome": state.outcome,
        "version": state.version,
        "unit": unit._asdict(),
    }


def _dossiers(state: CaseState) -> list[dict]:
    returned = state.returned_revisions
    return [asdict(d) | {"returned": d.revision in returned} for d in state.dossiers]


def _proposals(ctx: CaseContext) -> list[dict]:
    """Per criterion: its title, the verdict proposed from the data, and the checks behind it."""
    lines = (
        {a.criterion_id: a for a in ctx.state.current.self_assessment} if ctx.state.current else {}
    )
    by_id = {c.criterion_id: c for c in ctx.catalogue.criteria}
    out = []
    for p in ctx.proposals:
        c = by_id[p.criterion_id]
        out.append(
            {
                "criterion_id": c.criterion_id,
                "title": c.title,
                "kind": c.kind,
                "verified": c.verified,
                "proposed": p.proposed,
                "checks": [asdict(check) for check in p.checks],
                "self_assessment_note": lines[c.criterion_id].note
                if c.criterion_id in lines
                else "",
            }
        )
    return out


def _recommendation(state: CaseState) -> dict | None:
    if state.recommendation is None:
        return None
    return asdict(state.recommendation) | {
        "event_id": state.recommendation_event_id,
        "made_by": state.recommended_by,
    }


def _history_line(entry: Entry) -> dict:
    return {
        "event_id": entry.event_id,
        "event_type": entry.event_type,
        "occurred_at": entry.occurred_at,
        "actor": entry.actor,
    }
