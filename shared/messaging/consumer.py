"""The idempotent consumer: a poll's batch in one transaction, inbox, stream-gap check, parking,
and replays of parked events, each in one transaction with its status change."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from contextvars import ContextVar

import sqlalchemy as sa

from shared.clock import Clock
from shared.envelope import Envelope
from shared.events import REGISTRY, Registry
from shared.messaging.claims import (
    Awaiting,
    Claims,
    OutOfOrder,
    StreamGap,
    Unprocessable,
    check_order,
)
from shared.messaging.loop import ConsumerLoop
from shared.messaging.parking import RETRYABLE, SKIPPED, ParkingLot
from shared.messaging.ports import Record
from shared.messaging.reading import Reading, read_record
from shared.observability import logs, tracing
from shared.observability.metrics import RECORDS
from shared.persistence.engine import TRANSIENT_ERRORS
from shared.persistence.tables import inbox, stream_seen

__all__ = [
    "CURRENT_BATCH",
    "CURRENT_RECORD",
    "Awaiting",
    "IdempotentConsumer",
    "StreamGap",
    "Unprocessable",
]

log = logging.getLogger(__name__)

Handler = Callable[[Envelope, object, sa.Connection], None]
# Runs once before each transaction commits, with the state the handlers left in CURRENT_BATCH.
Finisher = Callable[[sa.Connection, dict], None]
HANDLED, DUPLICATE, IGNORED, PARKED = "handled", "duplicate", "ignored", "parked"
# The broker record being applied, for handlers that keep its position (reporting's log).
CURRENT_RECORD: ContextVar[Record | None] = ContextVar("antt_current_record", default=None)
# State shared by the handlers of one transaction (a dict), so that work touching the same rows
# for many events can be done once by a finisher; None outside the consumer.
CURRENT_BATCH: ContextVar[dict | None] = ContextVar("antt_current_batch", default=None)


class _Together(Exception):
    """The batch cannot be applied in one transaction: apply its records one by one."""


class IdempotentConsumer(ConsumerLoop):
    """Applies each event once per consumer name, however often the broker delivers it."""

    def __init__(
        self,
        name,
        engine,
        handlers: dict[str, list[Handler]],
        clock: Clock,
        registry: Registry = REGISTRY,
        finishers: Iterable[Finisher] = (),
        sweep_every_s: float = 30.0,
    ):
        self.name, self.engine, self.handlers, self.clock = name, engine, handlers, clock
        self.registry, self.finishers = registry, tuple(finishers)
        self.parking = ParkingLot(engine, name, clock)
        self.sweep_every_s = sweep_every_s
        self.counts: dict[str, int] = {}
        self._rewound: set[tuple[str, int]] = set()

    # -- one record --------------------------------------------------------------------------

    def process(self, record: Record, conn=None) -> str:
        """Apply one record in one transaction (the caller's, when given); raise Unprocessable,
        StreamGap or a transient database error."""
        return self._process_read(record, read_record(record, self.registry), conn)

    def _process_read(self, record: Record, reading: Reading, conn=None) -> str:
        env = reading.envelope
        try:
            if conn is not None:
                return self._process_in(conn, record, reading)
            with self.engine.begin() as own:
                return self._process_in(own, record, reading)
        except Unprocessable as err:
            err.envelope = err.envelope or env
            raise
        except (StreamGap, *TRANSIENT_ERRORS):
            raise
        except sa.exc.IntegrityError as err:
            if _is_inbox_clash(err):
                return DUPLICATE
            raise Unprocessable(f"handler failed: {err.orig!r}", env) from err
        except Exception as err:
            raise Unprocessable(f"handler failed: {err!r}", env) from err

    def _process_in(self, conn, record: Record, reading: Reading) -> str:
        with _batch_state(self.finishers) as state:
            if not self._claim(conn, reading.envelope):
                return DUPLICATE
            self._apply(conn, record, reading)
            self._finish(conn, state)
        return self._outcome(reading)

    def consume(self, record: Record) -> str:
        """process() with parking: what the loop does for each record taken one by one."""
        reading = None
        try:
            # Read once: the stream it names is what waiting events are retried for.
            reading = read_record(record, self.registry)
            outcome = self._process_read(record, reading)
        except Unprocessable as err:
            self.parking.park(record, err)
            outcome = PARKED
        self._count(outcome)
        if outcome in (HANDLED, IGNORED) and reading.envelope.stream_id:
            self._retry_waiting({reading.envelope.stream_id})
        return outcome

    # -- a poll's batch ------------------------------------------------------------------------

    def consume_together(self, records: list[Record]) -> list[str] | None:
        """Apply a batch of records in one transaction, or None when one of them needs the
        one-by-one path (malformed, out of order, failing, or a clash with another instance):
        then nothing of the batch took effect."""
        try:
            readings = [(r, read_record(r, self.registry)) for r in records]
            with self.engine.begin() as conn, _batch_state(self.finishers) as state:
                claims = Claims(self.name, self.clock)
                claims.load(conn, [reading.envelope for _, reading in readings])
                outcomes = [self._apply_claimed(conn, claims, *item) for item in readings]
                claims.save(conn)
                self._finish(conn, state)
                waiting = self.parking.waiting_streams(conn, claims.moved_streams())
        except (Unprocessable, OutOfOrder, _Together, sa.exc.IntegrityError) as err:
            log.debug("%s applies %d records one by one: %r", self.name, len(records), err)
            return None
        for outcome in outcomes:
            self._count(outcome)
        if waiting:
            self.replay_parked(streams=waiting)
        return outcomes

    def _apply_claimed(self, conn, claims: Claims, record: Record, reading: Reading) -> str:
        if not claims.claim(reading.envelope):
            return DUPLICATE
        try:
            self._apply(conn, record, reading)
        except TRANSIENT_ERRORS:
            raise
        except Exception as err:
            raise _Together(repr(err)) from err
        return self._outcome(reading)

    def _apply(self, conn, record: Record, reading: Reading) -> None:
        env = reading.envelope
        if reading.unknown:
            # Skipped and counted (CONTRACT): kept in the parked table as "skipped", so that
            # `antt parked list` and /metrics show it, while its stream moves on.
            log.info("%s skips unknown event type %s", self.name, env.event_type[:100])
            skip = Unprocessable(f"unknown event type {env.event_type!r}", env, "unknown_type")
            self.parking.park(record, skip, status=SKIPPED, conn=conn)
            return
        token = CURRENT_RECORD.set(record)
        # One span per applied record, in the trace of the request that appended the event.
        try:
            with _observed(self.name, record, env):
                for handler in self.handlers.get(env.event_type, []):
                    handler(env, reading.event, conn)
        finally:
            CURRENT_RECORD.reset(token)

    def _finish(self, conn, state: dict) -> None:
        try:
            for finisher in self.finishers:
                finisher(conn, state)
        except TRANSIENT_ERRORS:
            raise
        except Exception as err:
            # Like a handler's failure: the batch goes one by one, and what fails alone parks.
            raise _Together(f"finisher failed: {err!r}") from err

    def _outcome(self, reading: Reading) -> str:
        known = not reading.unknown and reading.envelope.event_type in self.handlers
        return HANDLED if known else IGNORED

    def _count(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        RECORDS.labels(self.name, outcome).inc()

    # -- parked records ----------------------------------------------------------------------------

    def park(self, record: Record, err: Unprocessable) -> None:
        self.parking.park(record, err)

    def replay_parked(self, ids=None, streams=None, kinds=None) -> list[dict]:
        """Run parked records of this consumer through it again, oldest first. Each replay is
        one transaction: the projection's change and the row's new status commit together, so
        a crash or a database blip at any point leaves the row parked, to be tried again."""
        return [
            result
            for parked_id in self.parking.candidates(ids, streams, kinds)
            if (result := self._replay_one(parked_id)) is not None
        ]

    def _replay_one(self, parked_id: int) -> dict | None:
        try:
            with self.engine.begin() as conn:
                row = self.parking.take(conn, parked_id)
                if row is None:  # settled by another instance meanwhile
                    return None
                record = Record(row.topic, row.partition, row.offset, row.key, row.value, {})
                outcome = self.process(record, conn)
        except (Unprocessable, StreamGap) as err:
            reason = str(getattr(err, "reason", err))
            kind = getattr(err, "kind", "gap")
            self.parking.still_parked(parked_id, reason, kind)
            return {"id": parked_id, "outcome": PARKED, "reason": reason}
        log.info("%s applied parked record %s (%s)", self.name, parked_id, outcome)
        return {"id": parked_id, "outcome": outcome, "reason": row.reason}

    def sweep(self) -> None:
        """Retry what may have resolved itself (a gap filled, an awaited stream moved) even if
        no event of its stream came to say so: two instances racing can miss that moment."""
        results = self.replay_parked(kinds=RETRYABLE)
        applied = sum(1 for r in results if r["outcome"] != PARKED)
        if applied:
            log.info("%s: the sweep applied %d parked record(s)", self.name, applied)

    def _retry_waiting(self, streams: set[str]) -> None:
        if not streams:
            return
        with self.engine.connect() as conn:
            waiting = self.parking.waiting_streams(conn, sorted(streams))
        if waiting:
            self.replay_parked(streams=waiting)

    def _claim(self, conn, env: Envelope) -> bool:
        """Record the event in the inbox and the stream position; False if already applied."""
        if self._in_inbox(conn, env):
            return False
        seen = conn.execute(
            sa.select(stream_seen.c.version).where(
                stream_seen.c.consumer == self.name, stream_seen.c.stream_id == env.stream_id
            )
        ).scalar()
        if env.stream_version <= (seen or 0) and self._in_inbox(conn, env):
            # Another instance applied it between our inbox check and here (a rebalance).
            return False
        check_order(conn, self.name, env, seen or 0)
        claims = Claims(self.name, self.clock)
        claims.start_from(env.stream_id, seen)
        claims.claim(env)
        claims.save(conn)
        return True

    def _in_inbox(self, conn, env: Envelope) -> bool:
        query = sa.select(inbox.c.event_id).where(
            inbox.c.consumer == self.name, inbox.c.event_id == env.event_id
        )
        return conn.execute(query).first() is not None


@contextlib.contextmanager
def _batch_state(finishers: tuple):
    # Only a consumer with finishers offers the shared state: a handler that finds None does its
    # work at once, so nothing it queued could be left for a finisher that does not exist.
    state: dict = {}
    token = CURRENT_BATCH.set(state if finishers else None)
    try:
        yield state
    finally:
        CURRENT_BATCH.reset(token)


@contextlib.contextmanager
def _observed(consumer: str, record: Record, env: Envelope):
    with (
        logs.about(correlation_id=env.correlation_id, unit_id=env.unit_id, year=env.year),
        tracing.span_from(
            record.headers.get("traceparent"),
            f"{consumer} apply {env.event_type}",
            **{
                "messaging.system": "kafka",
                "messaging.destination.name": record.topic,
                "messaging.kafka.message.offset": record.offset,
                "antt.event_id": env.event_id,
                "antt.correlation_id": env.correlation_id,
                "antt.unit_id": env.unit_id,
            },
        ),
    ):
        yield


def _is_inbox_clash(err: sa.exc.IntegrityError) -> bool:
    text = str(err.orig).lower()
    return "inbox" in text or "stream_seen" in text
