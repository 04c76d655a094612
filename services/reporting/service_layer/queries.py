"""Reporting's read side: the year's report, a unit's history, the audit of the chains."""

from __future__ import annotations

from datetime import datetime

from services.reporting.adapters import repository as repo
from services.reporting.domain import audit, lifecycle
from services.reporting.domain.report import Unit, build_report
from shared.auth import Principal, ensure_may_see
from shared.clock import iso_utc
from shared.envelope import Envelope, envelope_hash
from shared.errors import NotFound
from shared.events import REGISTRY


def _moment(env: Envelope) -> datetime:
    return datetime.fromisoformat(env.occurred_at)


def _until(rows: list[tuple[int, Envelope]], as_of: datetime | None) -> list[Envelope]:
    """Envelopes that had happened by `as_of`, ordered by (occurred_at, seq)."""
    kept = [(_moment(env), seq, env) for seq, env in rows]
    kept = [k for k in kept if as_of is None or k[0] <= as_of]
    return [env for _, _, env in sorted(kept, key=lambda k: (k[0], k[1]))]


def _directory(envs: list[Envelope]) -> dict[str, Unit]:
    units = {}
    for env in envs:
        entry = REGISTRY.decode(env.event_type, env.event_version, env.payload)
        units[entry.unit_id] = Unit(
            entry.unit_id, entry.name, entry.unit_type, entry.commune_code, entry.jurisdiction
        )
    return units


def _unit_years(envs: list[Envelope]) -> dict[str, list[lifecycle.Logged]]:
    grouped: dict[str, list[lifecycle.Logged]] = {}
    for env in envs:
        event = REGISTRY.decode(env.event_type, env.event_version, env.payload)
        logged = lifecycle.Logged(event, str(env.actor.get("sub", "")))
        grouped.setdefault(env.unit_id, []).append(logged)
    return grouped


def report(rt, who: Principal, year: int, commune_code=None, as_of=None) -> dict:
    """The year's report over the caller's jurisdiction, from the events known by `as_of`."""
    with rt.engine.connect() as conn:
        directory = _directory(_until(repo.directory_events(conn), as_of))
        unit_years = _unit_years(_until(repo.year_events(conn, year), as_of))
    units = [
        u
        for u in directory.values()
        if rt.jurisdictions.covers(who.jurisdiction, u.jurisdiction)
        and (commune_code is None or u.commune_code == commune_code)
    ]
    states = {u.unit_id: lifecycle.fold(unit_years.get(u.unit_id, [])) for u in units}
    moment = iso_utc(as_of or rt.clock.now())
    return build_report(year, who.jurisdiction, moment, units, states)


def _history_item(env: Envelope) -> dict:
    return {
        "event_id": env.event_id,
        "event_type": env.event_type,
        "occurred_at": env.occurred_at,
        "actor": env.actor,
        "producer": env.producer,
        "stream_id": env.stream_id,
        "stream_version": env.stream_version,
        "payload": env.payload,
    }


def history(rt, who: Principal, unit_id: str, year: int | None = None) -> dict:
    """Every event of the unit (of the year, and those without one) in the order it happened."""
    with rt.engine.connect() as conn:
        row = repo.unit_row(conn, unit_id)
        rows = repo.unit_events(conn, unit_id, year)
    if row is None and not rows:
        raise NotFound(f"Không có đơn vị mã {unit_id} trong dữ liệu báo cáo.")
    ensure_may_see(who, unit_id, row.jurisdiction if row else None, rt.jurisdictions)
    return {"unit_id": unit_id, "events": [_history_item(env) for env in _until(rows, None)]}


def verify(rt, year: int | None = None) -> dict:
    """Recompute every hash and link of the streams (those with events of `year`, if given)."""
    with rt.engine.connect() as conn:
        streams = repo.stream_wires(conn, year)
    return audit.verify(streams, envelope_hash)
