"""Registration's commands: campaigns, the unit directory, and each unit's year (registration,
late exceptions, dossiers)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.registration.adapters import documents_repo as docs
from services.registration.adapters import repository as repo
from services.registration.adapters.rules import (
    calendar_rules,
    criteria_ids,
    eligibility_rules,
    requirement_rules,
)
from services.registration.domain import campaign, case, deadlines, reorganization, unit
from services.registration.domain.documents import refuse_unknown
from services.registration.domain.errors import Invalid
from shared.auth import Forbidden, Principal, ensure_may_see
from shared.events.registration import (
    DocumentRef,
    SelfAssessment,
    reorganization_stream,
    unit_stream,
)
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


def add_unit(rt, who: Principal, fields: dict) -> str:
    fields = dict(fields)
    unit_id = fields.pop("unit_id", None) or f"u-{uuid.uuid4().hex[:12]}"
    with rt.engine.begin() as conn:
        directory = repo.directory(conn, rt.jurisdictions, who.jurisdiction, [unit_id])
        new = unit.add_unit(
            unit_id, fields, who.jurisdiction, eligibility_rules(), directory, rt.clock.today_vn()
        )
        append_units(rt, conn, who, new)
    return unit_id


def append_units(rt, conn, who: Principal, new: list, heads: dict | None = None) -> None:
    """Append directory events (one stream per unit) and keep the directory table in step.
    Each goes after the head its command read (`heads`: stream → (version, last hash); a new
    unit's stream has none), so a writer that moved the stream meanwhile gets a conflict (409)
    instead of having its change silently overwritten."""
    heads = heads or {}
    for event in new:
        stream = unit_stream(event.unit_id)
        head = heads.get(stream, (0, None))
        [env] = rt.store.append(conn, stream, head[0], [event], context_of(who), head=head)
        repo.save_unit_row(conn, event, env.payload)


def update_unit(rt, who: Principal, unit_id: str, fields: dict):
    with rt.engine.begin() as conn:
        current, head = repo.unit_and_head(rt.store, conn, unit_id)
        ensure_may_see(who, unit_id, current.jurisdiction, rt.jurisdictions, current.commune_code)
        directory = repo.directory(conn, rt.jurisdictions, who.jurisdiction)
        new = unit.update_unit(current, fields, eligibility_rules(), directory)
        append_units(rt, conn, who, new, {unit_stream(unit_id): head})
        return new[0] if new else current


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
    ensure_may_see(who, unit_id, entry.jurisdiction, rt.jurisdictions, entry.commune_code)
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


def reorganize(rt, who: Principal, body: dict) -> dict:
    """Record a reorganisation (merges, renames) of the admin's province; the new communes join
    the directory. Old codes: the directory's communes and every commune the tree has known."""
    rid = body.get("reorganization_id") or f"{who.jurisdiction}-{body['effective_on']}"
    stream = reorganization_stream(rid)
    with rt.engine.begin() as conn:
        if rt.store.version_of(conn, stream):
            raise Invalid(
                f"Đã có phương án sắp xếp mã {rid}.", {"reorganization_id": ["Mã đã được dùng."]}
            )
        targets = [c["to"] for c in body["changes"]]
        directory = repo.directory(conn, rt.jurisdictions, who.jurisdiction, targets)
        tree = {c for c, level in rt.jurisdictions.levels.items() if level == "commune"}
        known = directory.all_communes | frozenset(tree)
        new = reorganization.reorganize(
            rid, body, who.jurisdiction, known, directory.unit_ids, directory.all_communes
        )
        rt.store.append(conn, stream, 0, new[:1], context_of(who))
        append_units(rt, conn, who, new[1:])
    return {"reorganization_id": rid, "new_units": [e.unit_id for e in new[1:]]}
