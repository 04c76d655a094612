"""Registration use cases for one unit's year: registration, late exceptions, dossiers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.registration.adapters import documents_repo as docs
from services.registration.adapters import repository as repo
from services.registration.adapters.rules import criteria_ids, requirement_rules
from services.registration.domain import case, deadlines
from services.registration.domain.documents import refuse_unknown
from services.registration.service_layer.handlers import context_of
from shared.auth import Forbidden, Principal, ensure_may_see
from shared.events.registration import DocumentRef, SelfAssessment


@dataclass(frozen=True)
class OpenCase:
    entry: object
    calendar: object
    state: object
    head: tuple  # the case stream's (version, last hash), as read in this transaction


def _open_case(rt, conn, who: Principal, unit_id: str, year: int) -> OpenCase:
    # One query for the three streams; the checks keep their order: unit, access, campaign.
    unit_events, campaign_events, own, head = repo.case_streams(rt.store, conn, unit_id, year)
    entry = repo.unit_of(unit_events, unit_id)
    ensure_may_see(who, unit_id, entry.jurisdiction, rt.jurisdictions)
    cal = repo.campaign_of(campaign_events, year)
    return OpenCase(entry, cal, repo.case_of(conn, own, unit_id, year), head)


def _document_refs(conn, who: Principal, unit_id: str, cited: list[dict]) -> tuple:
    """Resolve cited hashes to the uploads of this unit or user (name and size from the upload)."""
    hashes = [d["sha256"] for d in cited]
    known = docs.uploads_usable_by(conn, hashes, unit_id, who.sub)
    refuse_unknown(hashes, set(known))
    return tuple(DocumentRef(d["kind"], d["sha256"], **known[d["sha256"]]) for d in cited)


def _append(rt, conn, who, unit_id, year, opened: OpenCase, new) -> list:
    # Citations before the append: from its first statement until the commit, the event store
    # holds the lock that serialises every append of the service.
    cited = [d.sha256 for event in new for d in getattr(event, "documents", ())]
    docs.cite(conn, cited, unit_id, year)
    stream, version = repo.case_stream(unit_id, year), opened.state.version
    return rt.store.append(conn, stream, version, new, context_of(who), head=opened.head)


def grant_late_exception(rt, who: Principal, body: dict):
    unit_id, year = body["unit_id"], body["year"]
    with rt.engine.begin() as conn:
        opened = _open_case(rt, conn, who, unit_id, year)
        new = deadlines.grant_exception(
            opened.state,
            opened.entry,
            opened.calendar,
            body["step"],
            body["reason"],
            body.get("until"),
            rt.clock.today_vn(),
        )
        _append(rt, conn, who, unit_id, year, opened, new)
        return new[0]


def register_unit(rt, who: Principal, body: dict):
    unit_id, year = body["unit_id"], body["year"]
    late_reason = body.get("late_reason")
    if late_reason and who.role != "admin":
        raise Forbidden("Chỉ quản trị viên được ghi nhận ngoại lệ đăng ký muộn.")
    with rt.engine.begin() as conn:
        opened = _open_case(rt, conn, who, unit_id, year)
        refs = _document_refs(conn, who, unit_id, body.get("documents", []))
        new = case.register(
            opened.state,
            opened.entry,
            opened.calendar,
            rt.clock.today_vn(),
            refs,
            body.get("figures", {}),
            late_reason,
            requirement_rules(),
        )
        return _append(rt, conn, who, unit_id, year, opened, new)[0]


def submit_dossier(rt, who: Principal, body: dict):
    unit_id, year = body["unit_id"], body["year"]
    with rt.engine.begin() as conn:
        opened = _open_case(rt, conn, who, unit_id, year)
        cal, state = opened.calendar, opened.state
        draft = case.DossierDraft(
            dossier_id=str(uuid.uuid4()),
            documents=_document_refs(conn, who, unit_id, body.get("documents", [])),
            assessment=tuple(SelfAssessment(**a) for a in body.get("self_assessment", [])),
            expected_version=body.get("expected_version"),
        )
        rules = requirement_rules() | {"criteria_ids": criteria_ids(cal.catalogue_version)}
        new = case.submit_dossier(state, cal, rt.clock.today_vn(), draft, rules)
        _append(rt, conn, who, unit_id, year, opened, new)
        return new[0]


def get_case(rt, who: Principal, unit_id: str, year: int) -> case.UnitYear:
    with rt.engine.connect() as conn:
        entry = repo.load_unit(rt.store, conn, unit_id)
        ensure_may_see(who, unit_id, entry.jurisdiction, rt.jurisdictions)
        return repo.load_case(rt.store, conn, unit_id, year)
