"""Review use cases: load the case, ask the domain, append its events to stream and timeline."""

from __future__ import annotations

import uuid

from services.review.adapters import repository as repo
from services.review.adapters.rules import catalogue_for_year
from services.review.domain import commands
from services.review.domain.errors import CaseNotFound, StaleVersion
from shared.auth import Principal, ensure_may_see
from shared.events.review import Finding
from shared.persistence.event_store import Context


def _context(who: Principal) -> Context:
    return Context(who.actor, str(uuid.uuid4()))


def _act(rt, who: Principal, unit_id: str, year: int, expected: int | None, decide_fn):
    """One transaction: lock the unit, fold its case, decide, append to stream and timeline."""
    with rt.engine.begin() as conn:
        unit = repo.find_unit(conn, unit_id, lock=True)
        if unit is None:
            raise CaseNotFound(f"Không có đơn vị mã {unit_id}.")
        ensure_may_see(who, unit_id, unit.jurisdiction, rt.jurisdictions)
        loaded = repo.load_case(conn, unit_id, year)
        if loaded is None:
            raise CaseNotFound(f"Đơn vị {unit_id} chưa có hồ sơ năm {year}.")
        state = loaded[0]
        if expected is not None and expected != state.version:
            raise StaleVersion(
                "Hồ sơ đã thay đổi kể từ khi bạn tải; tải lại rồi thử lại.",
                {"expected_version": [f"Phiên bản hiện tại là {state.version}."]},
            )
        new = decide_fn(state)
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
        lambda s: commands.return_dossier(s, body["reasons"], body["due_date"], today),
    )


def recommend(rt, who: Principal, unit_id: str, year: int, body: dict):
    findings = [Finding(f["criterion_id"], f["met"], note=f["note"]) for f in body["findings"]]
    catalogue = catalogue_for_year(year)
    return _act(
        rt,
        who,
        unit_id,
        year,
        body["expected_version"],
        lambda s: commands.recommend(s, body["recommendation"], findings, catalogue),
    )


def decide(rt, who: Principal, unit_id: str, year: int, body: dict):
    today = rt.clock.today_vn()
    return _act(
        rt,
        who,
        unit_id,
        year,
        body.get("expected_version"),
        lambda s: commands.decide(
            s,
            who.sub,
            body["decision"],
            body["decision_number"],
            body["decided_on"],
            body["note"],
            today,
        ),
    )


def annul(rt, who: Principal, unit_id: str, year: int, body: dict):
    return _act(
        rt,
        who,
        unit_id,
        year,
        body.get("expected_version"),
        lambda s: commands.annul(s, body["reason"]),
    )


def record_incident(rt, who: Principal, body: dict):
    unit_id = body["unit_id"]
    with rt.engine.begin() as conn:
        unit = repo.find_unit(conn, unit_id)
        if unit is None:
            raise CaseNotFound(f"Không có đơn vị mã {unit_id}.")
        ensure_may_see(who, unit_id, unit.jurisdiction, rt.jurisdictions)
        new = commands.record_incident(
            str(uuid.uuid4()),
            unit_id,
            unit.unit_type,
            body["occurred_on"],
            body["criterion_id"],
            body["description"],
            catalogue_for_year(body["occurred_on"].year),
            rt.clock.today_vn(),
        )
        stream = repo.incident_stream(unit_id)
        rt.store.append(conn, stream, rt.store.version_of(conn, stream), new, _context(who))
        return new[0]
