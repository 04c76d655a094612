"""Real envelopes for reporting tests: producers' event stores in a scratch database."""

from __future__ import annotations

from datetime import timedelta

from shared.events import TOPICS
from shared.messaging.consumer import IdempotentConsumer
from shared.messaging.ports import Record
from shared.persistence.engine import create_schema, make_engine
from shared.persistence.event_store import Context, EventStore

CLERK = {"sub": "clerk-1", "role": "unit"}
ADMIN = {"sub": "admin-1", "role": "admin"}
REVIEWER = {"sub": "reviewer-1", "role": "reviewer"}
APPROVER = {"sub": "approver-1", "role": "approver"}


class Producers:
    """The producers as they write their logs; each append moves the clock a day."""

    def __init__(self, database_url: str, clock):
        self.engine = make_engine(database_url)
        create_schema(self.engine)
        self.clock = clock
        self.stores = {
            name: EventStore(name, TOPICS[name], clock)
            for name in ("registration", "review", "notification")
        }

    def append(self, producer: str, stream_id: str, event, actor: dict):
        store = self.stores[producer]
        with self.engine.begin() as conn:
            version = store.version_of(conn, stream_id)
            [env] = store.append(conn, stream_id, version, [event], Context(actor, "corr-1"))
        self.clock.advance(timedelta(days=1))
        return env


class Delivery:
    """The broker's side: records with growing offsets, into a real idempotent consumer."""

    def __init__(self, rt):
        self.consumer = IdempotentConsumer(
            "antt-reporting", rt.engine, rt.handlers, rt.clock, finishers=rt.finishers
        )
        self.offsets: dict[str, int] = {}

    def record(self, env) -> Record:
        topic = TOPICS[env.producer]
        offset = self.offsets.get(topic, 0)
        self.offsets[topic] = offset + 1
        return Record(topic, 0, offset, env.unit_id or env.stream_id, env.to_bytes(), {})

    def deliver(self, *envs) -> list[str]:
        return [self.consumer.consume(self.record(env)) for env in envs]
