"""Reporting's consumer: keep every event of every topic, and the unit directory."""

from __future__ import annotations

from services.reporting.adapters import repository as repo
from shared.envelope import Envelope
from shared.events import REGISTRY
from shared.events.registration import UnitAdded


def store_event(env: Envelope, event, conn) -> None:
    """Keep the event's exact bytes; directory entries also update the unit table."""
    repo.save_event(conn, env)
    if isinstance(event, UnitAdded):  # UnitUpdated is a UnitAdded too
        repo.save_unit(conn, event, env.occurred_at)


HANDLERS = {name: [store_event] for name in REGISTRY.specs}
