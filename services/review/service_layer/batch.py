"""Batch decisions: one number and date for an authority's cases, each decided on its own."""

from __future__ import annotations

import uuid

from services.review.adapters import decision_document
from services.review.adapters import repository as repo
from services.review.domain import decision
from services.review.domain.findings import ACHIEVED
from services.review.service_layer import commands
from services.review.service_layer.evidence import authority_on
from shared.auth import Forbidden, Principal
from shared.errors import DomainError


def remit(rt, who: Principal, year: int) -> list:
    """The units the caller's authority recognises whose case is recommended "achieved" and
    not yet decided, by id: the annex of the draft decision."""
    out = []
    with rt.engine.connect() as conn:
        today = rt.clock.today_vn()
        for unit_id in repo.units_with_cases(conn, year):
            unit = repo.find_unit(conn, unit_id)
            loaded = repo.load_case(conn, unit_id, year)
            if unit is None or loaded is None:
                continue
            state = loaded[0]
            rec = state.recommendation
            if rec is None or rec.recommendation != ACHIEVED or state.decision is not None:
                continue
            authority = authority_on(rt, conn, unit, today)
            if authority is not None and authority.code == who.jurisdiction:
                out.append((unit, state))
    return out


def decide_batch(rt, who: Principal, body: dict) -> dict:
    """Each listed case decided "recognized" in its own transaction, as a single decision is
    (four-eyes, authority, expected version); a case that fails is reported and unchanged."""
    batch = f"batch:{uuid.uuid4()}"
    request = decision.DecisionRequest(
        decision.RECOGNIZED, body["decision_number"].strip(), body["decided_on"], body["note"]
    )
    year = body["year"]
    results = []
    for case in body["cases"]:
        unit_id = case["unit_id"]
        try:
            envelopes = commands.decide_case(
                rt, who, unit_id, year, request, case.get("expected_version"), batch
            )
        except (DomainError, Forbidden) as err:
            results.append(_refused(unit_id, err))
            continue
        env = envelopes[-1]
        results.append(
            {"unit_id": unit_id, "status": "decided", "event_id": env.event_id,
             "hash": env.hash, "stream_id": env.stream_id,
             "stream_version": env.stream_version}
        )  # fmt: skip
    decided = sum(r["status"] == "decided" for r in results)
    return {
        "year": year,
        "decision_number": request.decision_number,
        "decided_on": request.decided_on,
        "decided": decided,
        "refused": len(results) - decided,
        "results": results,
    }


def _refused(unit_id: str, err: Exception) -> dict:
    status = getattr(err, "status", 403)
    message = getattr(err, "message", None) or str(err)
    return {
        "unit_id": unit_id,
        "status": "refused",
        "code": status,
        "message": message,
        "errors": getattr(err, "errors", {}) or {},
    }


def draft(rt, who: Principal, year: int, number: str | None, decided_on, fmt: str) -> bytes:
    """The draft decision of the caller's authority for `year`, its annex the remit's units."""
    units = [unit for unit, _ in remit(rt, who, year)]
    code = who.jurisdiction or ""
    name = rt.jurisdictions.names.get(code) or f"xã/phường {code}"
    on = decided_on or rt.clock.today_vn()
    doc = decision_document.document(
        name, year, units, rt.deps.rules.legal_bases(on), number, decided_on
    )
    return decision_document.render(doc, fmt)
