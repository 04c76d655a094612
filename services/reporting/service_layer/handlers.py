"""Reporting's consumer: keep every event of every topic, and refold what it touches once per
transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from services.reporting.adapters import decoded, projections
from services.reporting.adapters import repository as repo
from services.reporting.adapters.tables import LIVE, Tables
from shared.envelope import Envelope
from shared.events import REGISTRY
from shared.messaging.consumer import CURRENT_BATCH, CURRENT_RECORD, Unprocessable
from shared.persistence.engine import TRANSIENT_ERRORS

# Where store_event leaves its work in the consumer's batch state for `finish`.
PENDING = "reporting.pending"


@dataclass
class Pending:
    """What a transaction's events change: log rows to insert, units and unit-years to refold
    (with the types of the events that touched each)."""

    rows: list[dict] = field(default_factory=list)
    units: set[str] = field(default_factory=set)
    unit_years: dict[tuple[str, int], set[str]] = field(default_factory=dict)

    def add(self, env: Envelope, event=None, position=(None, None)) -> None:
        self.rows.append(repo.event_row(env, *position))
        if event is not None:
            decoded.logged(env, event)  # the refold will not decode it again
        if env.event_type in repo.DIRECTORY_EVENTS and env.unit_id:
            self.units.add(env.unit_id)
        if env.unit_id and env.year is not None:
            self.unit_years.setdefault((env.unit_id, env.year), set()).add(env.event_type)

    def apply(self, conn, t: Tables = LIVE) -> None:
        """Store the events, then refold each unit and unit-year they touched once."""
        repo.save_events(conn, self.rows, t)
        locks = [("unit", u) for u in self.units]
        repo.serialise(conn, locks + [("unit-year", *key) for key in self.unit_years])
        projections.refresh_units(conn, self.units, t)
        projections.refresh_unit_years(conn, self.unit_years, t)


def _position() -> tuple[int | None, int | None]:
    record = CURRENT_RECORD.get()
    if record is None:
        return None, None
    return record.partition, record.offset


def store_event(env: Envelope, event, conn) -> None:
    """Keep the event's exact bytes, and refold the unit and unit-year it belongs to: at once
    when called alone, else once for the whole transaction by `finish`.

    Refolding from every stored event of the unit-year (in the order they happened) makes the
    projection the same whatever order the topics delivered them in.
    """
    state = CURRENT_BATCH.get()
    pending = Pending() if state is None else state.setdefault(PENDING, Pending())
    pending.add(env, event, _position())
    if state is None:
        pending.apply(conn)


def finish(conn, state: dict) -> None:
    """The consumer's finisher: apply what the transaction's events left to do."""
    pending = state.pop(PENDING, None)
    if pending is None:
        return
    try:
        pending.apply(conn)
    except (sa.exc.IntegrityError, *TRANSIENT_ERRORS):
        raise  # the consumer retries these (one by one, or later)
    except Exception as err:
        # Taken one by one, the event this comes from is parked rather than the consumer dying.
        raise Unprocessable(f"refold failed: {err!r}") from err


HANDLERS = {name: [store_event] for name in REGISTRY.specs}
FINISHERS = (finish,)
