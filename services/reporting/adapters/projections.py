"""Writes the directory and unit-year projections from the events the log holds."""

from __future__ import annotations

from services.reporting.adapters import decoded, fold_log
from services.reporting.adapters import repository as repo
from services.reporting.adapters.row_sync import sync_rows
from services.reporting.adapters.tables import LIVE, Tables
from services.reporting.domain.lifecycle import Logged, UnitYear, in_order, project


def unit_year_rows(unit_id: str, year: int, events: list[Logged]) -> dict[str, list[dict]]:
    """The projection rows of one unit-year, from its events in any order (copies allowed)."""
    story = in_order(events)
    state = project(story)
    rows = {"unit_years": [_unit_year(unit_id, year, state, story)]}
    rows["unit_year_criteria"] = [
        {"unit_id": unit_id, "year": year, "criterion_id": cid, "met": met}
        for cid, met in sorted(dict(state.findings).items())
    ]
    rows["decisions"] = [_decision(unit_id, year, state)] if state.decision_number else []
    return rows


def _unit_year(unit_id: str, year: int, state: UnitYear, story: list[Logged]) -> dict:
    return {
        "unit_id": unit_id,
        "year": year,
        "status": state.status,
        "dossiers_filed": state.dossiers_filed,
        "returns": state.returns,
        "recommendation": state.recommendation,
        "failing_criteria": ",".join(state.failing_criteria),
        "decision": state.decision,
        "decision_number": state.decision_number,
        "decided_on": state.decided_on.isoformat() if state.decided_on else None,
        "signer": state.signer,
        "annul_reason": state.annul_reason,
        "late_registration": state.late_registration,
        "late_dossier": state.late_dossier,
        "late_exceptions": ",".join(state.late_exceptions),
        "notifications_sent": state.notifications_sent,
        "notifications_failed": state.notifications_failed,
        "events": len(story),
        "last_event_at": story[-1].occurred_at.isoformat() if story else "",
    }


def _decision(unit_id: str, year: int, state: UnitYear) -> dict:
    return {
        "unit_id": unit_id,
        "year": year,
        "decision": state.decision,
        "decision_number": state.decision_number,
        "decided_on": state.decided_on.isoformat(),
        "signer": state.signer,
        "annulled": state.annul_reason is not None,
        "annul_reason": state.annul_reason,
    }


def unit_entry_row(entries) -> dict:
    """The directory row of one unit from its entries, (occurred_at, stream_id, stream_version,
    decoded UnitAdded / UnitUpdated) in any order: its last entry, its first moment."""
    entry = max(entries, key=_entry_order)[3]
    return unit_entry_fields(entry) | {"added_at": min(entries, key=_entry_order)[0]}


def unit_entry_fields(entry) -> dict:
    """What a directory row takes from a unit's (last) UnitAdded / UnitUpdated."""
    return {
        "unit_id": entry.unit_id,
        "jurisdiction": entry.jurisdiction,
        "commune_code": entry.commune_code,
        "unit_type": entry.unit_type,
        "name": entry.name,
        "managing_level": entry.managing_level,
        "demo": bool(entry.demo),
    }


def _entry_order(entry: tuple) -> tuple:
    return entry[:3]


# The only event types that can change a unit-year's criteria lines or its decision row.
TOUCHES = {
    "unit_year_criteria": {"RecommendationMade"},
    "decisions": {"RecommendationMade", "RecognitionDecided", "RecognitionAnnulled"},
}


def refresh_unit_years(conn, causes: dict[tuple[str, int], set | None], t: Tables = LIVE):
    """Refold each unit-year from every event the log holds of it and write what changed.

    `causes`: per unit-year, the types of the events that made it change (None: unknown), so
    that tables they cannot change are not even read."""
    if not causes:
        return
    rows = fold_log.fold_rows(conn, {u for u, _ in causes}, {y for _, y in causes}, t=t)
    rows = [row for row in rows if (row.unit_id, row.year) in causes]
    stories: dict[tuple[str, int], list[Logged]] = {key: [] for key in causes}
    for row, logged_ in zip(rows, _decoded(conn, rows, t), strict=True):
        stories[(row.unit_id, row.year)].append(logged_)
    out: dict[str, list[dict]] = {"unit_years": [], "unit_year_criteria": [], "decisions": []}
    for (unit_id, year), story in stories.items():
        for name, table_rows in unit_year_rows(unit_id, year, story).items():
            out[name].extend(table_rows)
    for name, table_rows in out.items():
        keys = {
            k for k, kinds in causes.items() if kinds is None or kinds & TOUCHES.get(name, kinds)
        }
        line = ("criterion_id",) if name == "unit_year_criteria" else ()
        wanted = [r for r in table_rows if (r["unit_id"], r["year"]) in keys]
        sync_rows(conn, getattr(t, name), ("unit_id", "year"), keys, wanted, line)


def refresh_units(conn, unit_ids, t: Tables = LIVE) -> None:
    """Rewrite the directory rows of these units from their entries in the log."""
    if not unit_ids:
        return
    rows = fold_log.fold_rows(conn, unit_ids, types=repo.DIRECTORY_EVENTS, t=t)
    entries: dict[str, list[tuple]] = {}
    for row, logged_ in zip(rows, _decoded(conn, rows, t), strict=True):
        order = (row.occurred_at, row.stream_id, row.stream_version)
        entries.setdefault(row.unit_id, []).append((*order, logged_.event))
    units = [unit_entry_row(e) for e in entries.values()]
    sync_rows(conn, t.units, ("unit_id",), [(u,) for u in entries], units)


def _decoded(conn, rows, t: Tables) -> list[Logged]:
    """The log rows' events, decoded once per process (the envelope read only if not yet)."""
    missing = [r.seq for r in rows if decoded.KEPT.get(r.event_id, r.hash) is None]
    texts = fold_log.envelope_texts(conn, missing, t) if missing else {}
    return [decoded.from_log_row(r, texts.get(r.seq)) for r in rows]


def refresh_unit_year(conn, unit_id: str, year: int, t: Tables = LIVE, cause=None) -> None:
    refresh_unit_years(conn, {(unit_id, year): None if cause is None else {cause}}, t)


def refresh_unit(conn, unit_id: str, t: Tables = LIVE) -> None:
    refresh_units(conn, [unit_id], t)
