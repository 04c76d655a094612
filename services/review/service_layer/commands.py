"""Review use cases: gather the case, ask the domain, append its events to stream and timeline."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.review.adapters import repository as repo
from services.review.domain import commands, decision
from services.review.domain.errors import NoAuthority, NumberTaken, StaleVersion
from services.review.service_layer.evidence import (
    CaseContext,
    authority_on,
    case_context,
    visible_unit,
    where,
)
from shared.auth import Principal
from shared.events.review import Finding
from shared.persistence.event_store import Context


def _context(who: Principal) -> Context:
    return Context(who.actor, str(uuid.uuid4()))


def _act(rt, who: Principal, unit_id: str, year: int, expected: int | None, decide_fn):
    """One transaction: lock the unit, gather its case, decide, append to stream and timeline."""
    with rt.engine.begin() as conn:
        ctx = case_context(rt, conn, who, unit_id, year, lock=True)
        if expected is not None and expected != ctx.state.version:
            raise StaleVersion(
                "Hồ sơ đã thay đổi kể từ khi bạn tải; tải lại rồi thử lại.",
                {"expected_version": [f"Phiên bản hiện tại là {ctx.state.version}."]},
            )
        new = decide_fn(ctx, conn)
        stream = repo.review_stream(unit_id, year)
        envelopes = rt.store.append(
            conn, stream, rt.store.version_of(conn, stream), new, _context(who)
        )
        for env in envelopes:
            repo.add_to_timeline(conn, env)
        return envelopes


def return_dossier(rt, who: Principal, unit_id: str, year: int, body: dict):
    today = rt.clock.today_vn()
    return _act(
        rt,
        who,
        unit_id,
        year,
        body.get("expected_version"),
        lambda ctx, _: commands.return_dossier(ctx.state, body["reasons"], body["due_date"], today),
    )


def recommend(rt, who: Principal, unit_id: str, year: int, body: dict):
    findings = [Finding(f["criterion_id"], f["met"], note=f["note"]) for f in body["findings"]]

    def made(ctx: CaseContext, _):
        proposed = {p.criterion_id: p.proposed for p in ctx.proposals}
        return commands.recommend(
            ctx.state, body["recommendation"], findings, ctx.catalogue, proposed
        )

    return _act(rt, who, unit_id, year, body["expected_version"], made)


def decide(rt, who: Principal, unit_id: str, year: int, body: dict):
    request = decision.DecisionRequest(
        body["decision"], body["decision_number"].strip(), body["decided_on"], body["note"]
    )
    return decide_case(rt, who, unit_id, year, request, body.get("expected_version"))


def decide_case(
    rt,
    who: Principal,
    unit_id: str,
    year: int,
    request: decision.DecisionRequest,
    expected: int | None,
    batch: str | None = None,
):
    """One case's decision in its own transaction. `batch` (a batch decision's id) lets the
    cases of one batch share its decision number: the first claims it for the batch, the
    others find it held by the same batch; anyone else finds it taken."""
    today = rt.clock.today_vn()

    def decided(ctx: CaseContext, conn):
        # The authority in force on the decision's date (2025-06-30 and 2025-07-01 differ).
        authority = _authority_of(ctx, authority_on(rt, conn, ctx.unit, request.decided_on))
        holder = repo.number_holder(conn, authority.code or "", year, request.decision_number)
        taken = holder is not None and (batch is None or holder != batch)
        open_units = ctx.commune.open_units if ctx.commune else ()
        new = decision.decide(
            ctx.state, _approver(who), request, authority, open_units, taken, today
        )
        if holder is None:
            repo.take_number(conn, authority.code, year, request.decision_number, batch or unit_id)
        return new

    try:
        return _act(rt, who, unit_id, year, expected, decided)
    except sa.exc.IntegrityError:
        # Another decision took the same number between our check and our insert.
        raise NumberTaken(
            f"Số quyết định {request.decision_number} vừa được dùng cho đơn vị khác.",
            {"decision_number": ["Số quyết định đã được dùng."]},
        ) from None


def annul(rt, who: Principal, unit_id: str, year: int, body: dict):
    return _act(
        rt,
        who,
        unit_id,
        year,
        body.get("expected_version"),
        # Annulled by the authority in force today: the successor of a committee since merged.
        lambda ctx, conn: decision.annul(
            ctx.state,
            _approver(who),
            body["reason"],
            _authority_of(ctx, authority_on(rt, conn, ctx.unit, rt.clock.today_vn())),
        ),
    )


def record_incident(rt, who: Principal, body: dict):
    unit_id = body["unit_id"]
    with rt.engine.begin() as conn:
        unit = visible_unit(rt, conn, who, unit_id)
        province = where(rt, conn).places_of(unit, body["occurred_on"])["province"]
        new = commands.record_incident(
            str(uuid.uuid4()),
            unit_id,
            unit.unit_type,
            body["occurred_on"],
            body["criterion_id"],
            body["description"],
            rt.deps.rules.catalogue(body["occurred_on"].year, province),
            rt.clock.today_vn(),
        )
        stream = repo.incident_stream(unit_id)
        rt.store.append(conn, stream, rt.store.version_of(conn, stream), new, _context(who))
        return new[0]


def _approver(who: Principal) -> decision.Approver:
    return decision.Approver(who.sub, who.jurisdiction)


def _authority_of(ctx: CaseContext, authority):
    if authority is None:
        raise NoAuthority(
            f"Bảng thẩm quyền không xác định được ai công nhận đơn vị {ctx.unit.unit_id}."
        )
    return authority
