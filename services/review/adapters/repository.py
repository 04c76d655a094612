"""Reads and writes of review's streams, case timeline and unit projection."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from services.review.adapters.tables import campaigns, case_timeline, decision_numbers, units
from services.review.domain.case import CaseState, Entry, fold
from shared.envelope import Envelope
from shared.events import REGISTRY
from shared.persistence.keyset import Page, Paged, read_page
from shared.persistence.upsert import insert_missing, upsert


def review_stream(unit_id: str, year: int) -> str:
    return f"review-{unit_id}-{year}"


def incident_stream(unit_id: str) -> str:
    return f"incidents-{unit_id}"


def unit_values(event) -> dict:
    """The projection row of a unit, from UnitAdded/UnitUpdated or UnitRegistered."""
    return {
        "unit_id": event.unit_id,
        "jurisdiction": event.jurisdiction,
        "commune_code": event.commune_code,
        "unit_type": event.unit_type,
        "name": event.name,
        "managing_level": event.managing_level,
        "has_party_organization": event.has_party_organization,
    }


def save_unit(conn, values: dict) -> None:
    upsert(conn, units, ("unit_id",), values)


def add_unit_if_missing(conn, values: dict) -> None:
    insert_missing(conn, units, values)


def find_unit(conn, unit_id: str, lock: bool = False):
    """The unit's row; `lock` serialises writers of its cases (a no-op on SQLite)."""
    query = sa.select(units).where(units.c.unit_id == unit_id)
    return conn.execute(query.with_for_update() if lock else query).first()


def add_to_timeline(conn, env: Envelope) -> None:
    conn.execute(
        case_timeline.insert().values(
            unit_id=env.unit_id,
            year=env.year,
            event_id=env.event_id,
            event_type=env.event_type,
            event_version=env.event_version,
            payload=env.payload,
            actor=env.actor,
            occurred_at=env.occurred_at,
        )
    )


def timeline(conn, unit_id: str, year: int) -> list[Entry]:
    rows = conn.execute(
        sa.select(case_timeline)
        .where(case_timeline.c.unit_id == unit_id, case_timeline.c.year == year)
        .order_by(case_timeline.c.seq)
    )
    return [
        Entry(
            REGISTRY.decode(r.event_type, r.event_version, r.payload),
            r.event_id,
            r.actor,
            r.occurred_at,
            r.event_type,
        )
        for r in rows
    ]


def load_case(conn, unit_id: str, year: int) -> tuple[CaseState, list[Entry]] | None:
    entries = timeline(conn, unit_id, year)
    return (fold(unit_id, year, entries), entries) if entries else None


CASE_ORDER = (case_timeline.c.year.desc(), case_timeline.c.unit_id)


def case_keys(conn, page: Page, pick, year=None, commune_code=None, unit_type=None) -> Paged:
    """A page of the cases known, filtered, as `pick` makes them of their (unit_id, year,
    jurisdiction); newest year first."""
    query = (
        sa.select(case_timeline.c.unit_id, case_timeline.c.year, units.c.jurisdiction)
        .join(units, units.c.unit_id == case_timeline.c.unit_id)
        .distinct()
    )
    if year is not None:
        query = query.where(case_timeline.c.year == year)
    if commune_code:
        query = query.where(units.c.commune_code == commune_code)
    if unit_type:
        query = query.where(units.c.unit_type == unit_type)
    return read_page(conn, query, CASE_ORDER, page, pick)


def incidents(store, conn, unit_id: str) -> list:
    return [store.decode(env) for env in store.load(conn, incident_stream(unit_id))]


def save_campaign(conn, year: int, dates: dict) -> None:
    upsert(conn, campaigns, ("year",), {"year": year, "dates": dates})


def campaign_dates(conn, year: int) -> dict | None:
    row = conn.execute(sa.select(campaigns.c.dates).where(campaigns.c.year == year)).first()
    return {k: date.fromisoformat(v) for k, v in row.dates.items()} if row else None


def units_of_commune(conn, commune_codes) -> list:
    """Every unit listed under a commune except the communes themselves, by id; `commune_codes`:
    the commune's code and the old codes that became it (Jurisdictions.codes_forming)."""
    codes = [commune_codes] if isinstance(commune_codes, str) else sorted(commune_codes)
    return list(
        conn.execute(
            sa.select(units)
            .where(units.c.commune_code.in_(codes), units.c.unit_type != "commune")
            .order_by(units.c.unit_id)
        )
    )


def number_holder(conn, authority: str, year: int, number: str) -> str | None:
    """Who holds the number: a unit id, or a batch decision's id ("batch:…"); None if free."""
    query = sa.select(decision_numbers.c.unit_id).where(
        decision_numbers.c.authority == authority,
        decision_numbers.c.year == year,
        decision_numbers.c.decision_number == number,
    )
    return conn.execute(query).scalar()


def take_number(conn, authority: str, year: int, number: str, unit_id: str) -> None:
    """Claim the number; the primary key refuses a concurrent second claim (IntegrityError)."""
    conn.execute(
        decision_numbers.insert().values(
            authority=authority, year=year, decision_number=number, unit_id=unit_id
        )
    )


def units_with_cases(conn, year: int) -> list[str]:
    """The ids of the units that have a case in `year`, sorted."""
    query = sa.select(case_timeline.c.unit_id).where(case_timeline.c.year == year).distinct()
    return sorted(conn.execute(query).scalars())
