"""Reporting's consumer: keep every event of every topic, and refold what it touches."""

from __future__ import annotations

from services.reporting.adapters import projections
from services.reporting.adapters import repository as repo
from shared.envelope import Envelope
from shared.events import REGISTRY
from shared.events.registration import UnitAdded
from shared.messaging.consumer import CURRENT_RECORD


def _position(env: Envelope) -> tuple[int | None, int | None]:
    record = CURRENT_RECORD.get()
    if record is None:
        return None, None
    return record.partition, record.offset


def store_event(env: Envelope, event, conn) -> None:
    """Keep the event's exact bytes, then refold the unit and unit-year it belongs to.

    Refolding from every stored event of the unit-year (in the order they happened) makes the
    projection the same whatever order the topics delivered them in.
    """
    repo.save_event(conn, env, _position(env))
    if isinstance(event, UnitAdded):  # UnitUpdated is a UnitAdded too
        repo.serialise(conn, "unit", event.unit_id)
        projections.refresh_unit(conn, event.unit_id)
    if env.unit_id and env.year is not None:
        repo.serialise(conn, "unit-year", env.unit_id, env.year)
        projections.refresh_unit_year(conn, env.unit_id, env.year, cause=env.event_type)


HANDLERS = {name: [store_event] for name in REGISTRY.specs}
