"""A unit's history a page at a time, with officials' mailboxes shown to officials only."""

from __future__ import annotations

from dataclasses import replace

from services.reporting.adapters import repository as repo
from shared.auth import Principal, ensure_may_see
from shared.envelope import Envelope
from shared.errors import NotFound
from shared.persistence.keyset import Page, Paged

NOTIFICATIONS = ("NotificationSent", "NotificationFailed")
# What a unit user reads instead of an official's address (and of a failure that may quote it).
HIDDEN = "(ẩn: hộp thư của cán bộ)"


def history(rt, who: Principal, unit_id: str, page: Page, year: int | None = None) -> Paged:
    """A page of the unit's events (of the year, and those without one) in the order they
    happened; the page's `items` are the answer's body."""
    with rt.engine.connect() as conn:
        row = repo.unit_row(conn, unit_id)
        found = repo.unit_story_page(conn, unit_id, year, page)
        own = _own_mailboxes(conn, unit_id) if who.role == "unit" else None
    if row is None and not found.items and page.after is None:
        raise NotFound(f"Không có đơn vị mã {unit_id} trong dữ liệu báo cáo.")
    jurisdiction, commune = (row.jurisdiction, row.commune_code) if row else (None, None)
    ensure_may_see(who, unit_id, jurisdiction, rt.jurisdictions, commune)
    envs = found.items
    body = {
        "unit_id": unit_id,
        "year": year,
        "events": [_item(env, own) for env in envs],
        "documents": _documents(envs),
        "lineage": rt.jurisdictions.placements(commune),
        "formed_from": _formed_from(rt, unit_id, row),
    }
    return replace(found, items=body)


def _formed_from(rt, unit_id: str, row) -> list[dict]:
    """A commune formed by a merge names its predecessors (from the tree's periods)."""
    if row is None or row.unit_type != "commune":
        return []
    return [
        {"effective_on": day, "code": code, "name": name,
         "text": f"trước {day:%d/%m/%Y}: {name}"}
        for day, code, name in rt.jurisdictions.lineage(row.commune_code)
    ]  # fmt: skip


def _own_mailboxes(conn, unit_id: str) -> frozenset[str]:
    """Every address the unit has had in the directory: what was sent there is its own."""
    return frozenset(
        p["contact_email"].strip().lower()
        for p in repo.directory_payloads(conn, unit_id)
        if isinstance(p.get("contact_email"), str)
    )


def shown_payload(env: Envelope, own: frozenset[str] | None) -> dict:
    """The payload as the caller may read it: `own` is None for officials (everything), else the
    unit's own addresses; a notification sent elsewhere went to an official."""
    payload = env.payload
    if own is None or env.event_type not in NOTIFICATIONS:
        return payload
    recipient = payload.get("recipient")
    if not isinstance(recipient, str) or not recipient or recipient.strip().lower() in own:
        return payload
    return {**payload, "recipient": HIDDEN, "error": HIDDEN if payload.get("error") else None}


def cited_documents(env: Envelope) -> list[dict]:
    """The documents an event cites (registration and dossier files), by their SHA-256."""
    docs = env.payload.get("documents") or []
    return [
        {k: d.get(k) for k in ("kind", "sha256", "filename", "size")}
        for d in docs
        if isinstance(d, dict)
    ]


def _item(env: Envelope, own: frozenset[str] | None) -> dict:
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
        "payload": shown_payload(env, own),
    }


def _documents(envs: list[Envelope]) -> list[dict]:
    """The documents the page's events cite, each once, with the first of them citing it."""
    seen, out = set(), []
    for env in envs:
        for doc in cited_documents(env):
            if doc["sha256"] not in seen:
                seen.add(doc["sha256"])
                out.append({**doc, "first_cited_by": env.event_id})
    return out
