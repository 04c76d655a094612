"""What registration's commands keep beside its events, rebuilt from events put back by
`antt recover` (shared/recovery.py): the directory rows and the documents' citations."""

from __future__ import annotations

from services.registration.adapters import documents_repo as docs
from services.registration.adapters import repository as repo

DIRECTORY_EVENTS = ("UnitAdded", "UnitUpdated")


def reproject(rt, conn, envelopes) -> None:
    """In log order, as the commands did: a unit's row follows its latest entry, and each
    case cites the documents its events name."""
    for env in envelopes:
        event = rt.store.decode(env)
        if env.event_type in DIRECTORY_EVENTS:
            repo.save_unit_row(conn, event, env.payload)
        cited = [d.sha256 for d in getattr(event, "documents", ())]
        if cited:
            docs.cite(conn, cited, env.unit_id, env.year)
