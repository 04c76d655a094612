"""Review's read side: the criteria in force, the case queue and one case's full view."""

from __future__ import annotations

from dataclasses import asdict

from services.review.adapters import repository as repo
from services.review.adapters.rules import catalogue_for_year
from services.review.domain.case import CaseState, Entry
from services.review.domain.errors import CaseNotFound
from shared.auth import Forbidden, Principal, ensure_may_see


def criteria(unit_type: str | None = None, year: int | None = None) -> dict:
    catalogue = catalogue_for_year(year)
    return {
        "catalogue_version": catalogue.version,
        "criteria": list(catalogue.for_unit_type(unit_type)),
    }


def list_cases(rt, who: Principal, year=None, status=None, commune_code=None) -> list[dict]:
    if who.role == "unit":
        raise Forbidden("Tài khoản đơn vị chỉ xem được hồ sơ của chính mình.")
    out = []
    with rt.engine.connect() as conn:
        for key in repo.case_keys(conn, year, commune_code):
            if not rt.jurisdictions.covers(who.jurisdiction, key.jurisdiction):
                continue
            state, _ = repo.load_case(conn, key.unit_id, key.year)
            if status is None or state.status == status:
                out.append(_summary(state, repo.find_unit(conn, key.unit_id)))
    return out


def case_view(rt, who: Principal, unit_id: str, year: int) -> dict:
    with rt.engine.connect() as conn:
        unit = repo.find_unit(conn, unit_id)
        if unit is None:
            raise CaseNotFound(f"Không có đơn vị mã {unit_id}.")
        ensure_may_see(who, unit_id, unit.jurisdiction, rt.jurisdictions)
        loaded = repo.load_case(conn, unit_id, year)
        if loaded is None:
            raise CaseNotFound(f"Đơn vị {unit_id} chưa có hồ sơ năm {year}.")
        incidents = repo.incidents(rt.store, conn, unit_id)
    state, entries = loaded
    return _summary(state, unit) | {
        "registration": state.registration,
        "current_revision": state.revision,
        "dossiers": _dossiers(state),
        "returns": list(state.returns),
        "proposals": _proposals(state, catalogue_for_year(year)),
        "recommendation": _recommendation(state),
        "decision": state.decision,
        "annulment": state.annulment,
        "incidents": incidents,
        "history": [_history_line(e) for e in entries],
    }


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


def _proposals(state: CaseState, catalogue) -> list[dict]:
    """The verdict proposed per criterion: for now, the unit's own self-assessment."""
    lines = {a.criterion_id: a for a in state.current.self_assessment} if state.current else {}
    return [
        {
            "criterion_id": c.criterion_id,
            "title": c.title,
            "kind": c.kind,
            "verified": c.verified,
            "proposed": lines[c.criterion_id].met if c.criterion_id in lines else None,
            "self_assessment_note": lines[c.criterion_id].note if c.criterion_id in lines else "",
        }
        for c in catalogue.for_unit_type(state.unit_type)
    ]


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
