"""What consumer handlers need beyond their connection, found through the connection's engine.

The kernel calls a handler with (envelope, event, connection) only; the notification handlers
also need the event store, the clock and the mailer. bootstrap() registers them per engine, so
two runtimes in one process (tests) never see each other's.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from services.notification.adapters.mailer import Mailer
from shared.clock import Clock
from shared.persistence.event_store import EventStore


@dataclass(frozen=True)
class Dependencies:
    store: EventStore
    clock: Clock
    mailer: Mailer


_BY_ENGINE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def wire(rt, mailer: Mailer) -> None:
    _BY_ENGINE[rt.engine] = Dependencies(rt.store, rt.clock, mailer)


def dependencies_of(conn) -> Dependencies:
    try:
        return _BY_ENGINE[conn.engine]
    except KeyError:
        # Raised inside the consumer's transaction: the event is parked with this reason.
        raise RuntimeError(
            "notification handlers used on an engine bootstrap() did not wire"
        ) from None
