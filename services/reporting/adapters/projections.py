"""Writes the directory and unit-year projections from the events the log holds."""

from __future__ import annotations

from datetime import datetime

from services.reporting.adapters import repository as repo
from services.reporting.adapters.tables import LIVE, Tables
from services.reporting.domain.lifecycle import Logged, UnitYear, in_order, project
from shared.envelope import Envelope
from shared.events import REGISTRY


def logged(env: Envelope, event=None) -> Logged:
    """What the fold needs of a stored envelope (`event`: its payload, if already decoded)."""
    return Logged(
        event or REGISTRY.decode(env.event_type, env.event_version, env.payload),
        str(env.actor.get("sub", "")),
        env.event_id,
        datetime.fromisoformat(env.occurred_at),
        env.stream_id,
        env.stream_version,
    )


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


def unit_entry_row(entries: list[tuple[Envelope, object]]) -> dict:
    """The directory row of one unit from its (envelope, decoded entry) pairs: its last entry,
    its first moment."""
    story = sorted(entries, key=lambda p: (p[0].occurred_at, p[0].stream_id, p[0].stream_version))
    entry = story[-1][1]
    return {
        "unit_id": entry.unit_id,
        "jurisdiction": entry.jurisdiction,
        "commune_code": entry.commune_code,
        "unit_type": entry.unit_type,
        "name": entry.name,
        "managing_level": entry.managing_level,
        "demo": bool(entry.demo),
        "added_at": story[0][0].occurred_at,
    }


# The only event types that can change a unit-year's criteria lines or its decision row.
TOUCHES = {
    "unit_year_criteria": {"RecommendationMade"},
    "decisions": {"RecommendationMade", "RecognitionDecided", "RecognitionAnnulled"},
}


def write_unit_year(conn, unit_id, year, events: list[Logged], t: Tables = LIVE, cause=None):
    """Replace the unit-year's rows; `cause` (an event type) spares tables it cannot change."""
    key = {"unit_id": unit_id, "year": year}
    for name, rows in unit_year_rows(unit_id, year, events).items():
        if cause is None or cause in TOUCHES.get(name, {cause}):
            repo.replace_rows(conn, getattr(t, name), key, rows)


def refresh_unit_year(conn, unit_id: str, year: int, t: Tables = LIVE, cause=None) -> None:
    envs = [env for _, env in repo.unit_year_events(conn, unit_id, year, t)]
    write_unit_year(conn, unit_id, year, [logged(env) for env in envs], t, cause)


def refresh_unit(conn, unit_id: str, t: Tables = LIVE) -> None:
    entries = [(env, logged(env).event) for _, env in repo.directory_events(conn, unit_id, t)]
    repo.replace_rows(conn, t.units, {"unit_id": unit_id}, [unit_entry_row(entries)])
