"""Everything review knows about one unit-year case, gathered for the read side and the commands."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.review.adapters import repository as repo
from services.review.adapters.places import Places, places
from services.review.domain import commune
from services.review.domain.authority import Authority
from services.review.domain.case import CaseState, Entry
from services.review.domain.criteria import Catalogue
from services.review.domain.errors import CaseNotFound, NoAuthority
from services.review.domain.periods import evaluation_period, inside
from services.review.domain.proposals import CommuneCounts, Evidence, Proposal, propose
from shared.auth import Principal
from shared.authority import authority_for, table_on


@dataclass(frozen=True)
class CaseContext:
    unit: object
    state: CaseState
    entries: list[Entry]
    catalogue: Catalogue
    period: tuple
    incidents: list
    proposals: list[Proposal]
    authority: Authority | None
    commune: CommuneCounts | None


def where(rt, conn) -> Places:
    return places(conn, rt.jurisdictions)


def visible_unit(rt, conn, who: Principal, unit_id: str, lock: bool = False):
    """The unit's directory row, if it exists and the caller may see it (404 / 403 otherwise)."""
    unit = repo.find_unit(conn, unit_id, lock=lock)
    if unit is None:
        raise CaseNotFound(f"Không có đơn vị mã {unit_id}.")
    where(rt, conn).ensure_may_see(who, unit)
    return unit


def case_context(rt, conn, who: Principal, unit_id: str, year: int, lock=False) -> CaseContext:
    unit = visible_unit(rt, conn, who, unit_id, lock)
    loaded = repo.load_case(conn, unit_id, year)
    if loaded is None:
        raise CaseNotFound(f"Đơn vị {unit_id} chưa có hồ sơ năm {year}.")
    state, entries = loaded
    today = rt.clock.today_vn()
    catalogue = rt.deps.rules.catalogue(year, where(rt, conn).places_of(unit, today)["province"])
    period = evaluation_period(
        unit.unit_type, year, repo.campaign_dates(conn, year), rt.deps.rules.periods
    )
    incidents = repo.incidents(rt.store, conn, unit_id)
    counts, area = None, ()
    if unit.unit_type == "commune":
        counts = commune_counts(rt, conn, unit, year, period)
        found = area_incidents(rt, conn, unit, period)
        area = tuple(i for i in found if inside(i.occurred_on, period))
    in_period = [i for i in incidents if inside(i.occurred_on, period)]
    evidence = replace(_evidence(unit, state, in_period, counts), area_incidents=area)
    proposals = [propose(c, evidence) for c in catalogue.for_unit_type(unit.unit_type)]
    return CaseContext(
        unit, state, entries, catalogue, period, incidents, proposals,
        authority_on(rt, conn, unit, _authority_day(state, today)), counts,
    )  # fmt: skip


def commune_counts(rt, conn, unit, year: int, period: tuple) -> CommuneCounts:
    """CW-4 counts over the units this commune recognises: the authority table in force at the
    end of the evaluation window says which."""
    table = table_on(period[1], rt.deps.authorities)
    standings = []
    # The commune as it stands at the end of the window: units filed under its old codes count.
    codes = rt.jurisdictions.codes_forming(unit.commune_code, period[1])
    for member in repo.units_of_commune(conn, codes):
        try:
            level = table.rule_for(member.unit_type, member.managing_level).authority
        except NoAuthority:
            continue
        if level == "commune":
            loaded = repo.load_case(conn, member.unit_id, year)
            standings.append(commune.standing(member.unit_id, loaded[0] if loaded else None))
    return commune.counts(standings)


def area_incidents(rt, conn, unit, period: tuple) -> list:
    """Incidents recorded against the commune's other units (CW-2 judges the whole commune)."""
    codes = rt.jurisdictions.codes_forming(unit.commune_code, period[1])
    members = repo.units_of_commune(conn, codes)
    return [i for m in members for i in repo.incidents(rt.store, conn, m.unit_id)]


def _authority_day(state: CaseState, today):
    # A decided case shows who decided it (the authority of the decision's date); else today's.
    return state.decision.decided_on if state.decision is not None else today


def authority_on(rt, conn, unit, day) -> Authority | None:
    """Who recognises `unit` on `day` (the kernel's one Art. 10 function), or None."""
    place = where(rt, conn).places_of(unit, day)
    try:
        return authority_for(unit.unit_type, unit.managing_level, day, place, rt.deps.authorities)
    except NoAuthority:
        return None


def _evidence(unit, state: CaseState, incidents: list, counts) -> Evidence:
    reg = state.registration
    lines = state.current.self_assessment if state.current else ()
    return Evidence(
        unit_type=unit.unit_type,
        has_party_organization=reg.has_party_organization if reg else unit.has_party_organization,
        registered=reg is not None,
        figures=dict(reg.figures) if reg else {},
        document_kinds=frozenset(d.kind for d in reg.documents) if reg else frozenset(),
        self_assessment={a.criterion_id: (a.met, a.note) for a in lines},
        incidents=tuple(incidents),
        commune=counts,
    )
