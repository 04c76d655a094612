"""Reads and writes of registration's streams and directory projection."""

from __future__ import annotations

import sqlalchemy as sa

from services.registration.adapters.tables import case_returns, units
from services.registration.domain import campaign, case, unit
from services.registration.domain.errors import NoCampaign, UnknownUnit
from shared.events import REGISTRY
from shared.events.registration import DossierSubmitted, unit_stream
from shared.events.review import DossierReturned
from shared.persistence.keyset import Page, Paged, read_page
from shared.persistence.stream_reads import events_of_streams
from shared.persistence.upsert import upsert


def campaign_stream(year: int) -> str:
    return f"campaign-{year}"


def case_stream(unit_id: str, year: int) -> str:
    return f"case-{unit_id}-{year}"


_RETURNS = sa.select(case_returns.c.event_version, case_returns.c.payload).where(
    case_returns.c.unit_id == sa.bindparam("unit_id"), case_returns.c.year == sa.bindparam("year")
)


def events_of(store, conn, stream_id: str) -> list:
    return events_of_streams(store, conn, [stream_id])[stream_id]


def load_campaign(store, conn, year: int) -> campaign.Campaign:
    return campaign_of(events_of(store, conn, campaign_stream(year)), year)


def load_unit(store, conn, unit_id: str):
    return unit_of(events_of(store, conn, unit_stream(unit_id)), unit_id)


def unit_and_head(store, conn, unit_id: str) -> tuple:
    """The unit's entry and its stream's head (version, last hash), from one read: an update
    appends after that version, so a writer that moved the stream since gets a conflict."""
    stream, heads = unit_stream(unit_id), {}
    found = events_of_streams(store, conn, [stream], heads)
    return unit_of(found[stream], unit_id), heads.get(stream, (0, None))


def load_case(store, conn, unit_id: str, year: int) -> case.UnitYear:
    return case_of(conn, events_of(store, conn, case_stream(unit_id, year)), unit_id, year)


def case_streams(store, conn, unit_id: str, year: int) -> tuple[list, list, list, tuple]:
    """The unit's, the campaign's and the case's events, in one query, and the case stream's
    head (version, last hash) for the append."""
    ids = [unit_stream(unit_id), campaign_stream(year), case_stream(unit_id, year)]
    heads: dict = {}
    found = events_of_streams(store, conn, ids, heads)
    return (*(found[stream_id] for stream_id in ids), heads.get(ids[2], (0, None)))


def campaign_of(events: list, year: int) -> campaign.Campaign:
    state = campaign.fold(events)
    if state is None:
        raise NoCampaign(f"Chưa có lịch đợt đánh giá năm {year}.")
    return state


def unit_of(events: list, unit_id: str):
    state = unit.fold(events)
    if state is None:
        raise UnknownUnit(f"Không có đơn vị mã {unit_id} trong danh bạ.")
    return state


def case_of(conn, own: list, unit_id: str, year: int) -> case.UnitYear:
    """The case's fold; review's returns are read only once a dossier was submitted, since
    review returns only dossiers it received (most commands come before any dossier)."""
    if not any(isinstance(e, DossierSubmitted) for e in own):
        return case.fold(own)
    rows = conn.execute(_RETURNS, {"unit_id": unit_id, "year": year})
    # Each payload is upcast from the version it was stored at (a current one not at all).
    returns = [REGISTRY.decode("DossierReturned", r.event_version, r.payload) for r in rows]
    returns = sorted(
        (r for r in returns if isinstance(r, DossierReturned)), key=lambda r: r.revision
    )
    return case.fold(own, returns)


def directory(conn, jurisdictions, scope: str, candidate_ids=()) -> unit.Directory:
    """Commune codes (all, and those inside `scope`) and which of `candidate_ids` are taken."""
    rows = conn.execute(
        sa.select(units.c.commune_code, units.c.jurisdiction).where(units.c.unit_type == "commune")
    ).all()
    taken = conn.execute(
        sa.select(units.c.unit_id).where(units.c.unit_id.in_(list(candidate_ids)))
    ).scalars()
    return unit.Directory(
        frozenset(taken),
        frozenset(r.commune_code for r in rows),
        frozenset(
            r.commune_code
            for r in rows
            if jurisdictions.reaches(scope, r.jurisdiction, r.commune_code)
        ),
    )


def save_unit_row(conn, entry, payload: dict) -> None:
    values = {
        "unit_id": entry.unit_id,
        "jurisdiction": entry.jurisdiction,
        "commune_code": entry.commune_code,
        "unit_type": entry.unit_type,
        "name": entry.name,
        "entry": payload,
    }
    upsert(conn, units, ("unit_id",), values)


def list_units(
    conn, jurisdictions, scope: str, page: Page, commune_code=None, unit_type=None
) -> Paged:
    """A page of the directory entries within `scope`, by name (then id: names repeat)."""
    q = sa.select(
        units.c.entry, units.c.jurisdiction, units.c.commune_code, units.c.name, units.c.unit_id
    )
    if commune_code:
        q = q.where(units.c.commune_code == commune_code)
    if unit_type:
        q = q.where(units.c.unit_type == unit_type)

    def pick(row):
        return (
            row.entry if jurisdictions.reaches(scope, row.jurisdiction, row.commune_code) else None
        )

    return read_page(conn, q, (units.c.name, units.c.unit_id), page, pick)
