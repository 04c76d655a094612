"""The consumer's bookkeeping: which events it applied (inbox) and how far each stream got."""

from __future__ import annotations

import sqlalchemy as sa

from shared.clock import Clock, iso_utc
from shared.envelope import Envelope
from shared.persistence.tables import inbox, parked, stream_seen

# Rows looked up with one IN (...) at a time: well under every database's parameter limit.
CHUNK = 500


class Unprocessable(Exception):
    """This record cannot take effect now: it is parked with the reason and the loop goes on.

    `kind` names the class of problem (malformed, tampered, too_new, invalid_payload,
    wrong_producer, failed, superseded, blocked, gap, awaiting): the last three may resolve
    themselves and are retried by the consumer; the others wait for an operator."""

    def __init__(self, reason: str, envelope: Envelope | None = None, kind: str = "failed"):
        super().__init__(reason)
        self.reason, self.envelope, self.kind = reason, envelope, kind


class Awaiting(Unprocessable):
    """A handler needs an event of another stream first, one that travels on another topic
    and may arrive later (a unit's directory entry, say): park until that stream moves on."""

    def __init__(self, stream_id: str, reason: str):
        super().__init__(f"waiting for {stream_id}: {reason}", kind="awaiting")
        self.waiting_for = stream_id


class StreamGap(Exception):
    """An event arrived before an earlier event of its stream: something was not delivered."""

    def __init__(self, stream_id: str, seen: int, got: int, envelope: Envelope | None = None):
        super().__init__(f"stream {stream_id}: applied up to {seen}, received {got}")
        self.key, self.envelope = (stream_id, got), envelope


class OutOfOrder(Exception):
    """The event cannot be applied in a batch: the one-by-one path decides what it is."""


class Claims:
    """Claims for one transaction: the inbox and stream positions read once, written once.

    Reading every event id and stream of a poll's batch with one query each and writing them
    back with one multi-row statement each keeps the bookkeeping at a handful of round trips
    per batch instead of four per event.
    """

    def __init__(self, consumer: str, clock: Clock):
        self.consumer, self.clock = consumer, clock
        self.applied: set[str] = set()
        self.seen: dict[str, int] = {}
        self._known_streams: set[str] = set()
        self._new_ids: list[str] = []
        self._moved: dict[str, int] = {}

    def load(self, conn, envelopes: list[Envelope]) -> None:
        ids = [e.event_id for e in envelopes]
        streams = sorted({e.stream_id for e in envelopes})
        for part in _chunks(ids):
            rows = conn.execute(_APPLIED, {"consumer": self.consumer, "ids": part})
            self.applied.update(rows.scalars())
        for part in _chunks(streams):
            rows = conn.execute(_SEEN, {"consumer": self.consumer, "streams": part})
            self.seen.update({row.stream_id: row.version for row in rows})
        self._known_streams = set(self.seen)

    def start_from(self, stream_id: str, seen: int | None) -> None:
        """What the caller already read of one stream's position (None: never seen)."""
        if seen is not None:
            self.seen[stream_id] = seen
            self._known_streams.add(stream_id)

    def claim(self, env: Envelope) -> bool:
        """False for an event already applied; OutOfOrder for one this batch must not decide."""
        if env.event_id in self.applied:
            return False
        seen = self.seen.get(env.stream_id, 0)
        if env.stream_version != seen + 1:
            raise OutOfOrder(f"{env.stream_id} v{env.stream_version} after v{seen}")
        self.applied.add(env.event_id)
        self._new_ids.append(env.event_id)
        self.seen[env.stream_id] = self._moved[env.stream_id] = env.stream_version
        return True

    def save(self, conn) -> None:
        now = iso_utc(self.clock.now())
        if self._new_ids:
            rows = [
                {"consumer": self.consumer, "event_id": i, "processed_at": now}
                for i in self._new_ids
            ]
            conn.execute(inbox.insert(), rows)
        updates = [
            {"c": self.consumer, "s": s, "v": v}
            for s, v in self._moved.items()
            if s in self._known_streams
        ]
        inserts = [
            {"consumer": self.consumer, "stream_id": s, "version": v}
            for s, v in self._moved.items()
            if s not in self._known_streams
        ]
        if updates:
            conn.execute(_UPDATE_SEEN, updates)
        if inserts:
            conn.execute(stream_seen.insert(), inserts)

    def moved_streams(self) -> list[str]:
        return sorted(self._moved)


# Built once, not per batch: building a statement and its cache key costs more CPU than
# running it (every consumer runs these for every poll that returns records).
_APPLIED = sa.select(inbox.c.event_id).where(
    inbox.c.consumer == sa.bindparam("consumer"),
    inbox.c.event_id.in_(sa.bindparam("ids", expanding=True)),
)
_SEEN = sa.select(stream_seen.c.stream_id, stream_seen.c.version).where(
    stream_seen.c.consumer == sa.bindparam("consumer"),
    stream_seen.c.stream_id.in_(sa.bindparam("streams", expanding=True)),
)
_UPDATE_SEEN = (
    stream_seen.update()
    .where(
        stream_seen.c.consumer == sa.bindparam("c"), stream_seen.c.stream_id == sa.bindparam("s")
    )
    .values(version=sa.bindparam("v"))
)


def check_order(conn, consumer: str, env: Envelope, seen: int) -> None:
    """Refuse an event whose stream position says it was superseded or came too early."""
    if env.stream_version <= seen:
        raise Unprocessable(
            f"{env.stream_id} v{env.stream_version} was already applied from another event",
            env,
            "superseded",
        )
    if env.stream_version > seen + 1:
        waiting = sa.select(parked.c.id).where(
            parked.c.consumer == consumer,
            parked.c.stream_id == env.stream_id,
            parked.c.status == "parked",
        )
        if conn.execute(waiting).first():
            raise Unprocessable("an earlier event of this stream is parked", env, "blocked")
        raise StreamGap(env.stream_id, seen, env.stream_version, env)


def _chunks(items: list) -> list[list]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
