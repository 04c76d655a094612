"""Reporting's read side: a unit's history and the audit of the stored log."""

from __future__ import annotations

import sqlalchemy as sa

from services.reporting.adapters import repository as repo
from services.reporting.domain import audit
from shared.auth import Principal, ensure_may_see
from shared.envelope import Envelope, envelope_hash
from shared.errors import NotFound
from shared.persistence.tables import stream_seen
from shared.runtime import consumer_name


def _story_key(env: Envelope) -> tuple:
    return (env.occurred_at, env.stream_id, env.stream_version, env.event_id)


def cited_documents(env: Envelope) -> list[dict]:
    """The documents an event cites (registration and dossier files), by their SHA-256."""
    docs = env.payload.get("documents") or []
    return [
        {k: d.get(k) for k in ("kind", "sha256", "filename", "size")}
        for d in docs
        if isinstance(d, dict)
    ]


def _history_item(env: Envelope) -> dict:
    return {
        "event_id": env.event_id,
        "event_type": env.event_type,
        "occurred_at": env.occurred_at,
        "actor": env.actor,
        "producer": env.producer,
        "stream_id": env.stream_id,
        "stream_version": env.stream_version,
        "hash": env.hash,
        "documents": cited_documents(env),
        "payload": env.payload,
    }


def _documents(envs: list[Envelope]) -> list[dict]:
    seen, out = set(), []
    for env in envs:
        for doc in cited_documents(env):
            if doc["sha256"] not in seen:
                seen.add(doc["sha256"])
                out.append({**doc, "first_cited_by": env.event_id})
    return out


def history(rt, who: Principal, unit_id: str, year: int | None = None) -> dict:
    """Every event of the unit (of the year, and those without one) in the order it happened."""
    with rt.engine.connect() as conn:
        row = repo.unit_row(conn, unit_id)
        rows = repo.unit_events(conn, unit_id, year)
    if row is None and not rows:
        raise NotFound(f"Không có đơn vị mã {unit_id} trong dữ liệu báo cáo.")
    jurisdiction, commune = (row.jurisdiction, row.commune_code) if row else (None, None)
    ensure_may_see(who, unit_id, jurisdiction, rt.jurisdictions, commune)
    envs = sorted({env.event_id: env for _, env in rows}.values(), key=_story_key)
    return {
        "unit_id": unit_id,
        "year": year,
        "events": [_history_item(env) for env in envs],
        "documents": _documents(envs),
    }


def _applied_versions(conn, service: str) -> dict[str, int]:
    rows = conn.execute(
        sa.select(stream_seen.c.stream_id, stream_seen.c.version).where(
            stream_seen.c.consumer == consumer_name(service)
        )
    )
    return dict(rows.all())


def verify(rt, year: int | None = None) -> dict:
    """Recompute every hash, link and version of the stored log (the streams of `year`)."""
    with rt.engine.connect() as conn:
        entries = [audit.Entry(*e) for e in repo.stored_entries(conn, year)]
        # The consumer's own count per stream reveals a deleted last event; whole log only.
        seen = _applied_versions(conn, rt.settings.service) if year is None else None
    return audit.verify(entries, envelope_hash, seen)
