"""The idempotent consumer loop: a poll's batch in one transaction, inbox, stream-gap check,
parking, and a retry of parked events once their stream moves on."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar

import sqlalchemy as sa

from shared.clock import Clock, iso_utc
from shared.envelope import Envelope, EnvelopeInvalid
from shared.events import REGISTRY, Registry
from shared.events.registry import EventVersionTooNew, PayloadInvalid, UnknownEventType
from shared.messaging import parking
from shared.messaging.claims import (
    Awaiting,
    Claims,
    OutOfOrder,
    StreamGap,
    Unprocessable,
    check_order,
)
from shared.messaging.ports import Record, Subscription
from shared.persistence.engine import TRANSIENT_ERRORS
from shared.persistence.tables import consumer_progress, inbox, stream_seen

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


class IdempotentConsumer:
    """Applies each event once per consumer name, however often the broker delivers it."""

    def __init__(
        self,
        name,
        engine,
        handlers: dict[str, list[Handler]],
        clock: Clock,
        registry: Registry = REGISTRY,
        finishers: Iterable[Finisher] = (),
    ):
        self.name, self.engine, self.handlers, self.clock = name, engine, handlers, clock
        self.registry, self.finishers = registry, tuple(finishers)
        self.counts: dict[str, int] = {}
        self._rewound: set[tuple[str, int]] = set()

    # -- one record --------------------------------------------------------------------------

    def process(self, record: Record) -> str:
        """Apply one record in one transaction; raise Unprocessable, StreamGap or a DB error."""
        env = self._envelope(record)
        event = self._decode(env)
        try:
            with self.engine.begin() as conn, _batch_state(self.finishers) as state:
                if not self._claim(conn, env):
                    return DUPLICATE
                self._apply(conn, record, env, event)
                self._finish(conn, state)
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
        return self._outcome(env, event)

    def consume(self, record: Record) -> str:
        """process() with parking: what the loop does for each record taken one by one."""
        try:
            outcome = self.process(record)
        except Unprocessable as err:
            self.park(record, err)
            outcome = PARKED
        self._count(outcome)
        if outcome in (HANDLED, IGNORED):
            self._retry_waiting({_stream_of(record)} - {None})
        return outcome

    # -- a poll's batch ------------------------------------------------------------------------

    def consume_together(self, records: list[Record]) -> list[str] | None:
        """Apply a batch of records in one transaction, or None when one of them needs the
        one-by-one path (malformed, out of order, failing, or a clash with another instance):
        then nothing of the batch took effect."""
        try:
            decoded = [(r, self._envelope(r)) for r in records]
            decoded = [(r, env, self._decode(env)) for r, env in decoded]
            with self.engine.begin() as conn, _batch_state(self.finishers) as state:
                claims = Claims(self.name, self.clock)
                claims.load(conn, [env for _, env, _ in decoded])
                outcomes = [self._apply_claimed(conn, claims, *item) for item in decoded]
                claims.save(conn)
                self._finish(conn, state)
                waiting = parking.waiting_streams(conn, self.name, claims.moved_streams())
        except (Unprocessable, OutOfOrder, _Together, sa.exc.IntegrityError) as err:
            log.debug("%s applies %d records one by one: %r", self.name, len(records), err)
            return None
        for outcome in outcomes:
            self._count(outcome)
        if waiting:
            parking.replay_parked(self, streams=waiting)
        return outcomes

    def _apply_claimed(self, conn, claims: Claims, record: Record, env: Envelope, event) -> str:
        if not claims.claim(env):
            return DUPLICATE
        try:
            self._apply(conn, record, env, event)
        except TRANSIENT_ERRORS:
            raise
        except Exception as err:
            raise _Together(repr(err)) from err
        return self._outcome(env, event)

    def _apply(self, conn, record: Record, env: Envelope, event) -> None:
        token = CURRENT_RECORD.set(record)
        try:
            for handler in self.handlers.get(env.event_type, []) if event else []:
                handler(env, event, conn)
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

    def _outcome(self, env: Envelope, event) -> str:
        return HANDLED if event and env.event_type in self.handlers else IGNORED

    def _count(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1

    # -- parking ---------------------------------------------------------------------------------

    def park(self, record: Record, err: Unprocessable) -> None:
        parking.park(self, record, err)

    # -- the loop --------------------------------------------------------------------------------

    def run(self, subscription: Subscription, stop: threading.Event) -> None:
        last_progress = 0.0
        while not stop.is_set():
            self._consume_batch(subscription, subscription.poll(1.0), stop)
            if time.monotonic() - last_progress > 2.0:
                self.record_progress(subscription.progress())
                last_progress = time.monotonic()

    def _consume_batch(self, subscription: Subscription, records: list[Record], stop) -> None:
        if records:
            try:
                if self.consume_together(records) is not None:
                    # The broker hears of progress only after the database has committed it.
                    subscription.commit(_next_offsets(records))
                    return
            except TRANSIENT_ERRORS as err:
                log.warning(
                    "%s: database unavailable, taking records one by one: %s", self.name, err
                )
        self._consume_one_by_one(subscription, records, stop)

    def _consume_one_by_one(self, subscription: Subscription, records: list[Record], stop) -> None:
        next_offsets: dict[tuple[str, int], int] = {}
        held: set[tuple[str, int]] = set()
        for rec in records:
            tp = (rec.topic, rec.partition)
            if tp in held:
                continue
            try:
                self.consume(rec)
            except StreamGap as gap:
                if gap.key in self._rewound:
                    self.park(rec, Unprocessable(f"missing earlier event: {gap}", gap.envelope))
                else:
                    log.warning("%s: %s; reading the topics again from the start", self.name, gap)
                    self._rewound.add(gap.key)
                    subscription.commit(next_offsets)
                    subscription.rewind()
                    return
            except TRANSIENT_ERRORS as err:
                log.warning("%s: database unavailable, will retry: %s", self.name, err)
                subscription.seek(rec.topic, rec.partition, rec.offset)
                held.add(tp)
                stop.wait(1.0)
                continue
            next_offsets[tp] = rec.offset + 1
        subscription.commit(next_offsets)

    def _retry_waiting(self, streams: set[str]) -> None:
        if not streams:
            return
        with self.engine.connect() as conn:
            waiting = parking.waiting_streams(conn, self.name, sorted(streams))
        if waiting:
            parking.replay_parked(self, streams=waiting)

    def record_progress(self, progress: list[tuple[str, int, int, int]]) -> None:
        """Replace the rows of the partitions this instance holds; other instances keep theirs."""
        if not progress:  # no partition held (yet): nothing to replace
            return
        now = iso_utc(self.clock.now())
        rows = [
            {
                "consumer": self.name,
                "topic": topic,
                "partition": partition,
                "position": position,
                "highwater": highwater,
                "updated_at": now,
            }
            for topic, partition, position, highwater in progress
        ]
        try:
            with self.engine.begin() as conn:  # one statement each, a parameter set per partition
                conn.execute(_FORGET_PROGRESS, rows)
                conn.execute(consumer_progress.insert(), rows)
        except (sa.exc.IntegrityError, *TRANSIENT_ERRORS) as err:
            # Progress is advisory (readiness, lag metrics): a clash during a rebalance or a
            # database blip is corrected by the next report a few seconds later.
            log.info("%s: progress not recorded this time: %s", self.name, err)

    def _envelope(self, record: Record) -> Envelope:
        try:
            env = Envelope.from_bytes(record.value)
        except EnvelopeInvalid as err:
            raise Unprocessable(f"not an envelope: {err}") from None
        if not env.hash_ok:
            raise Unprocessable("hash does not match the envelope's content", env)
        return env

    def _decode(self, env: Envelope):
        try:
            return self.registry.decode(env.event_type, env.event_version, env.payload)
        except UnknownEventType:
            log.info("%s ignores unknown event type %s", self.name, env.event_type)
            return None
        except (EventVersionTooNew, PayloadInvalid) as err:
            raise Unprocessable(str(err), env) from None

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


_FORGET_PROGRESS = consumer_progress.delete().where(
    consumer_progress.c.consumer == sa.bindparam("consumer"),
    consumer_progress.c.topic == sa.bindparam("topic"),
    consumer_progress.c.partition == sa.bindparam("partition"),
)


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


def _next_offsets(records: list[Record]) -> dict[tuple[str, int], int]:
    return {(r.topic, r.partition): r.offset + 1 for r in records}


def _stream_of(record: Record) -> str | None:
    try:
        return Envelope.from_bytes(record.value).stream_id
    except EnvelopeInvalid:
        return None


def _is_inbox_clash(err: sa.exc.IntegrityError) -> bool:
    text = str(err.orig).lower()
    return "inbox" in text or "stream_seen" in text
