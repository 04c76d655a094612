"""Append-only event store: expected-version appends, stream reads and the ordered log."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from shared.bounded_json import WIRE_LIMIT_BYTES
from shared.clock import Clock, iso_utc
from shared.envelope import Envelope, canonical_json
from shared.errors import DomainError
from shared.events import REGISTRY, Registry
from shared.observability import logs, tracing
from shared.persistence.appending import appended_in_one_statement
from shared.persistence.tables import events, log_head, outbox


class ConcurrencyConflict(Exception):
    """Another writer appended to the stream since the caller read it."""

    def __init__(self, stream_id: str, expected: int, actual: int):
        super().__init__(f"stream {stream_id}: expected version {expected}, found {actual}")
        self.stream_id, self.expected, self.actual = stream_id, expected, actual


# The default largest event, well under what a broker takes (WIRE_LIMIT_BYTES, ~1 MB).
MAX_EVENT_BYTES = 256 * 1024


class EventTooLarge(DomainError):
    """An event whose canonical bytes exceed the limit: never stored, so never refused later
    by the broker (which would hold up every event after it)."""

    status = 413

    def __init__(self, event_type: str, size: int, limit: int, field: str):
        super().__init__(
            f"Dữ liệu quá lớn: sự kiện {event_type} sẽ có {size:,} byte, vượt giới hạn "
            f"{limit:,} byte. Hãy rút gọn trường '{field}'.".replace(",", "."),
            {field: [f"quá lớn (sự kiện {size} byte, giới hạn {limit} byte)"]},
        )
        self.size, self.limit, self.field = size, limit, field


@dataclass(frozen=True)
class Context:
    """Who caused the events and why: copied onto every envelope."""

    actor: dict
    correlation_id: str
    causation_id: str | None = None

    @classmethod
    def system(cls, name: str, cause: Envelope | None = None) -> Context:
        actor = {"sub": f"system:{name}", "role": "system"}
        if cause is None:
            return cls(actor, str(uuid.uuid4()))
        return cls(actor, cause.correlation_id, cause.event_id)


class StreamFork(RuntimeError):
    """A lost event cannot be put back: its stream moved on without it since the backup."""

    def __init__(self, stream_id: str, head: int, version: int):
        super().__init__(
            f"stream {stream_id} is at version {head} in this store, but the log's next event of "
            f"it is version {version} (or links to another hash): something was appended after "
            "the restore. Restore again and run the recovery before starting the service."
        )
        self.stream_id = stream_id


class EventStore:
    """One service's log. Every method takes the caller's connection (its unit of work)."""

    def __init__(
        self,
        producer: str,
        topic: str,
        clock: Clock,
        registry: Registry = REGISTRY,
        max_event_bytes: int = MAX_EVENT_BYTES,
    ):
        self.producer, self.topic, self.clock, self.registry = producer, topic, clock, registry
        self.max_event_bytes = min(max_event_bytes, WIRE_LIMIT_BYTES)

    def append(
        self,
        conn,
        stream_id: str,
        expected_version: int,
        new: Sequence,
        context: Context,
        head: tuple[int, str | None] | None = None,
    ) -> list[Envelope]:
        """Append `new` events after `expected_version`, with their outbox rows, or raise.

        `head`: the stream's (version, hash of its last event) as the caller read them in this
        same transaction, which spares reading them again (a version's hash never changes, and
        a writer that moved the stream since still fails on the version constraint)."""
        if not new:
            return []
        # The stream's head is read before the log_head lock, so that the lock (which serialises
        # every append of the service until commit) is held for the inserts only; a writer that
        # raced us past this check still fails on the (stream_id, stream_version) constraint.
        version, prev_hash = head if head is not None else self._head_of(conn, stream_id)
        if version != expected_version:
            raise ConcurrencyConflict(stream_id, expected_version, version)
        envelopes = []
        for i, event in enumerate(new, start=1):
            envelopes.append(self._seal(event, stream_id, version + i, prev_hash, context))
            self._check_size(envelopes[-1])
            prev_hash = envelopes[-1].hash
        # The trace of the request or record that appends travels with the outbox rows.
        trace_context = tracing.current_traceparent()
        logs.remember(
            correlation_id=context.correlation_id,
            unit_id=envelopes[0].unit_id,
            year=envelopes[0].year,
        )
        try:
            if conn.dialect.name == "postgresql":
                appended_in_one_statement(conn, self.topic, envelopes, trace_context)
            else:
                last = self._reserve_positions(conn, len(new))
                self._insert(conn, last, envelopes, trace_context)
        except sa.exc.IntegrityError:
            env = envelopes[0]
            raise ConcurrencyConflict(env.stream_id, env.stream_version - 1, -1) from None
        return envelopes

    def restore(self, conn, envelopes: list[Envelope]) -> int:
        """Store events this log once held and lost (a database restored from an older backup),
        exactly as they were sealed, after the log's head, each following its stream's head;
        their outbox rows are written too (the caller marks them published). Returns the last
        position. Raises StreamFork when one does not follow its stream (appended since)."""
        heads: dict[str, tuple[int, str | None]] = {}
        for env in envelopes:
            head = heads.get(env.stream_id) or self._head_of(conn, env.stream_id)
            if (env.stream_version, env.prev_hash) != (head[0] + 1, head[1]):
                raise StreamFork(env.stream_id, head[0], env.stream_version)
            heads[env.stream_id] = (env.stream_version, env.hash)
        last = self._reserve_positions(conn, len(envelopes))
        self._insert(conn, last, envelopes)
        return last

    def load(self, conn, stream_id: str) -> list[Envelope]:
        rows = conn.execute(
            sa.select(events.c.envelope)
            .where(events.c.stream_id == stream_id)
            .order_by(events.c.stream_version)
        )
        return [Envelope.from_bytes(row.envelope.encode()) for row in rows]

    def version_of(self, conn, stream_id: str) -> int:
        return self._head_of(conn, stream_id)[0]

    def read_log(self, conn, after: int = 0, limit: int = 1000) -> list[tuple[int, Envelope]]:
        rows = conn.execute(
            sa.select(events.c.position, events.c.envelope)
            .where(events.c.position > after)
            .order_by(events.c.position)
            .limit(limit)
        )
        return [(row.position, Envelope.from_bytes(row.envelope.encode())) for row in rows]

    def decode(self, env: Envelope):
        return self.registry.decode(env.event_type, env.event_version, env.payload)

    def _reserve_positions(self, conn, count: int) -> int:
        # The row lock taken here serialises appends until commit: commit order = position order.
        return conn.execute(
            log_head.update()
            .where(log_head.c.id == 1)
            .values(position=log_head.c.position + count)
            .returning(log_head.c.position)
        ).scalar_one()

    def _head_of(self, conn, stream_id: str) -> tuple[int, str | None]:
        row = conn.execute(
            sa.select(events.c.stream_version, events.c.hash)
            .where(events.c.stream_id == stream_id)
            .order_by(events.c.stream_version.desc())
            .limit(1)
        ).first()
        return (row.stream_version, row.hash) if row else (0, None)

    def _seal(self, event, stream_id, version, prev_hash, context: Context) -> Envelope:
        name, event_version, payload = self.registry.encode(event)
        return Envelope.sealed(
            event_id=str(uuid.uuid4()),
            event_type=name,
            event_version=event_version,
            occurred_at=iso_utc(self.clock.now()),
            producer=self.producer,
            stream_id=stream_id,
            stream_version=version,
            unit_id=getattr(event, "unit_id", None),
            year=getattr(event, "year", None),
            actor=context.actor,
            correlation_id=context.correlation_id,
            causation_id=context.causation_id,
            prev_hash=prev_hash,
            payload=payload,
        )

    def _check_size(self, env: Envelope) -> None:
        size = len(env.to_bytes())
        if size > self.max_event_bytes:
            raise EventTooLarge(env.event_type, size, self.max_event_bytes, _largest_field(env))

    def _insert(self, conn, last_position: int, envelopes: list[Envelope], trace_context=None):
        placed = list(enumerate(envelopes, start=last_position - len(envelopes) + 1))
        conn.execute(events.insert(), [_event_row(p, e) for p, e in placed])
        rows = [
            {
                "position": p,
                "topic": self.topic,
                "key": e.unit_id or e.stream_id,
                "trace_context": trace_context,
            }
            for p, e in placed
        ]
        conn.execute(outbox.insert(), rows)


def _largest_field(env: Envelope) -> str:
    """The payload field that weighs most: the one the person should shorten."""
    sizes = {key: len(canonical_json(value)) for key, value in env.payload.items()}
    return max(sizes, key=sizes.get) if sizes else "payload"


def _event_row(position: int, env: Envelope) -> dict:
    return {
        "position": position,
        "event_id": env.event_id,
        "stream_id": env.stream_id,
        "stream_version": env.stream_version,
        "event_type": env.event_type,
        "event_version": env.event_version,
        "unit_id": env.unit_id,
        "year": env.year,
        "occurred_at": env.occurred_at,
        "hash": env.hash,
        "envelope": env.to_bytes().decode(),
    }
