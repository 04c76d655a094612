"""Consumer handlers: review's decisions that registration needs, and the handler table."""

from __future__ import annotations

from services.registration.adapters.tables import case_returns
from shared.events import REGISTRY


def record_return(env, event, conn) -> None:
    """Consumer: review returned a dossier; the unit may now submit the next revision."""
    _, version, payload = REGISTRY.encode(event)
    row = {"event_id": env.event_id, "unit_id": event.unit_id, "year": event.year}
    conn.execute(case_returns.insert().values(**row, event_version=version, payload=payload))


HANDLERS = {"DossierReturned": [record_return]}
