"""The calendar and each unit's progress per year, projected from events for the scheduler."""

from __future__ import annotations

import sqlalchemy as sa

from services.notification.adapters.tables import campaigns, progress
from services.notification.domain.reminders import Calendar, Progress
from shared.persistence.tables import consumer_progress
from shared.persistence.upsert import upsert

P = progress.c


def save_campaign(conn, event) -> None:
    values = {
        "year": event.year,
        "registration_deadline": event.registration_deadline,
        "dossier_deadline": event.dossier_deadline,
    }
    upsert(conn, campaigns, ("year",), values)


# Built once: the consumer reads the year's calendar for every notification it records.
_CALENDAR = sa.select(campaigns).where(campaigns.c.year == sa.bindparam("year"))


def load_calendar(conn, year: int) -> Calendar | None:
    row = conn.execute(_CALENDAR, {"year": year}).first()
    return Calendar(**row._mapping) if row else None


def calendars(conn) -> list[Calendar]:
    return [Calendar(**r._mapping) for r in conn.execute(sa.select(campaigns).order_by("year"))]


def update_progress(conn, unit_id: str, year: int, **values) -> None:
    defaults = {"registered": False, "dossier_revision": 0}
    key = {"unit_id": unit_id, "year": year}
    upsert(conn, progress, tuple(key), key | values, on_insert=defaults)


def progress_of_year(conn, year: int) -> dict[str, Progress]:
    rows = conn.execute(sa.select(progress).where(P.year == year))
    return {row.unit_id: Progress(**row._mapping) for row in rows}


def consumer_lag(conn) -> int:
    """Records the notification consumer has yet to read, as it last reported them."""
    cp = consumer_progress.c
    lag = sa.select(sa.func.sum(sa.func.max(cp.highwater - cp.position, 0)))
    if conn.dialect.name == "postgresql":
        lag = sa.select(sa.func.sum(sa.func.greatest(cp.highwater - cp.position, 0)))
    return conn.execute(lag).scalar() or 0
