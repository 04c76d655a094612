"""The idempotent consumer loop: one transaction per event, inbox, stream-gap check, parking."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar

import sqlalchemy as sa

from shared.clock import Clock, iso_utc
from shared.envelope import Envelope, EnvelopeInvalid
from shared.events import REGISTRY, Registry
from shared.events.registry import EventVersionTooNew, PayloadInvalid, UnknownEventType
from shared.messaging.ports import Record, Subscription
from shared.persistence.engine import TRANSIENT_ERRORS
from shared.persistence.tables import consumer_progress, inbox, parked, stream_seen

log = logging.getLogger(__name__)

Handler = Callable[[Envelope, object, sa.Connection], None]
HANDLED, DUPLICATE, IGNORED, PARKED = "handled", "duplicate", "ignored", "parked"
# The broker record being applied, for handlers that keep its position (reporting's log).
CURRENT_RECORD: ContextVar[Record | None] = ContextVar("antt_current_record", default=None)


class Unprocessable(Exception):
    """This record cannot take effect now: it is parked with the reason and the loop goes on."""

    def __init__(self, reason: str, envelope: Envelope | None = None):
        super().__init__(reason)
        self.reason, self.envelope = reason, envelope


class StreamGap(Exception):
    """An event arrived before an earlier event of its stream: something was not delivered."""

    def __init__(self, stream_id: str, seen: int, got: int):
        super().__init__(f"stream {stream_id}: applied up to {seen}, received {got}")
        self.key = (stream_id, got)


class IdempotentConsumer:
    """Applies each event once per consumer name, however often the broker delivers it."""

    def __init__(
        self,
        name,
        engine,
        handlers: dict[str, list[Handler]],
        clock: Clock,
        registry: Registry = REGISTRY,
    ):
        self.name, self.engine, self.handlers, self.clock = name, engine, handlers, clock
        self.registry = registry
        self.counts: dict[str, int] = {}
        self._rewound: set[tuple[str, int]] = set()

    def process(self, record: Record) -> str:
        """Apply one record in one transaction; raise Unprocessable, StreamGap or a DB error."""
        token = CURRENT_RECORD.set(record)
        try:
            return self._process(record)
        finally:
            CURRENT_RECORD.reset(token)

    def _process(self, record: Record) -> str:
        env = self._envelope(record)
        event = self._decode(env)
        try:
            with self.engine.begin() as conn:
                if not self._claim(conn, env):
                    return DUPLICATE
                for handler in self.handlers.get(env.event_type, []) if event else []:
                    handler(env, event, conn)
        except (Unprocessable, StreamGap, *TRANSIENT_ERRORS):
            raise
        except sa.exc.IntegrityError as err:
            if _is_inbox_clash(err):
                return DUPLICATE
            raise Unprocessable(f"handler failed: {err.orig!r}", env) from err
        except Exception as err:
            raise Unprocessable(f"handler failed: {err!r}", env) from err
        return HANDLED if event and env.event_type in self.handlers else IGNORED

    def consume(self, record: Record) -> str:
        """process() with parking: what the loop does for each record."""
        try:
            outcome = self.process(record)
        except Unprocessable as err:
            self.park(record, err)
            outcome = PARKED
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        return outcome

    def park(self, record: Record, err: Unprocessable) -> None:
        log.warning(
            "%s parks %s/%s@%s: %s",
            self.name,
            record.topic,
            record.partition,
            record.offset,
            err.reason,
        )
        env = err.envelope
        row = {
            "consumer": self.name,
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "key": record.key,
            "value": record.value,
            "event_id": env.event_id if env else None,
            "event_type": env.event_type if env else None,
            "stream_id": env.stream_id if env else None,
            "reason": err.reason[:2000],
            "status": "parked",
            "parked_at": iso_utc(self.clock.now()),
        }
        with self.engine.begin() as conn:
            exists = conn.execute(
                sa.select(parked.c.id).where(
                    parked.c.consumer == self.name,
                    parked.c.topic == record.topic,
                    parked.c.partition == record.partition,
                    parked.c.offset == record.offset,
                )
            ).first()
            if exists is None:
                conn.execute(parked.insert().values(**row))

    def run(self, subscription: Subscription, stop: threading.Event) -> None:
        last_progress = 0.0
        while not stop.is_set():
            self._consume_batch(subscription, subscription.poll(1.0), stop)
            if time.monotonic() - last_progress > 2.0:
                self.record_progress(subscription.progress())
                last_progress = time.monotonic()

    def _consume_batch(self, subscription: Subscription, records: list[Record], stop) -> None:
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
                    self.park(rec, Unprocessable(f"missing earlier event: {gap}"))
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
        # The broker hears of progress only after the database has committed it.
        subscription.commit(next_offsets)

    def record_progress(self, progress: list[tuple[str, int, int, int]]) -> None:
        """Replace the rows of the partitions this instance holds; other instances keep theirs."""
        now = iso_utc(self.clock.now())
        c = consumer_progress.c
        try:
            with self.engine.begin() as conn:
                for topic, partition, position, highwater in progress:
                    conn.execute(
                        consumer_progress.delete().where(
                            c.consumer == self.name, c.topic == topic, c.partition == partition
                        )
                    )
                    conn.execute(
                        consumer_progress.insert().values(
                            consumer=self.name,
                            topic=topic,
                            partition=partition,
                            position=position,
                            highwater=highwater,
                            updated_at=now,
                        )
                    )
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
        self._check_order(conn, env, seen or 0)
        conn.execute(
            inbox.insert().values(
                consumer=self.name, event_id=env.event_id, processed_at=iso_utc(self.clock.now())
            )
        )
        values = {"consumer": self.name, "stream_id": env.stream_id, "version": env.stream_version}
        if seen is None:
            conn.execute(stream_seen.insert().values(**values))
        else:
            conn.execute(
                stream_seen.update()
                .where(
                    stream_seen.c.consumer == self.name, stream_seen.c.stream_id == env.stream_id
                )
                .values(version=env.stream_version)
            )
        return True

    def _in_inbox(self, conn, env: Envelope) -> bool:
        query = sa.select(inbox.c.event_id).where(
            inbox.c.consumer == self.name, inbox.c.event_id == env.event_id
        )
        return conn.execute(query).first() is not None

    def _check_order(self, conn, env: Envelope, seen: int) -> None:
        if env.stream_version <= seen:
            raise Unprocessable(
                f"{env.stream_id} v{env.stream_version} was already applied from another event",
                env,
            )
        if env.stream_version > seen + 1:
            if conn.execute(
                sa.select(parked.c.id).where(
                    parked.c.consumer == self.name,
                    parked.c.stream_id == env.stream_id,
                    parked.c.status == "parked",
                )
            ).first():
                raise Unprocessable("an earlier event of this stream is parked", env)
            raise StreamGap(env.stream_id, seen, env.stream_version)


def _is_inbox_clash(err: sa.exc.IntegrityError) -> bool:
    text = str(err.orig).lower()
    return "inbox" in text or "stream_seen" in text
