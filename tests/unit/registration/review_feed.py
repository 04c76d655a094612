"""Review's side for registration's tests: a real DossierReturned delivered to the consumer."""

from __future__ import annotations

import uuid
from datetime import date

from shared.events import TOPICS
from shared.events.review import DossierReturned
from shared.messaging.consumer import IdempotentConsumer
from shared.messaging.ports import Record
from shared.persistence.engine import create_schema, make_engine
from shared.persistence.event_store import Context, EventStore
from shared.runtime import consumer_name


class ReviewFeed:
    def __init__(self, tmp_path, rt):
        self.engine = make_engine(f"sqlite:///{tmp_path / 'review-scratch.db'}")
        create_schema(self.engine)
        self.store = EventStore("review", TOPICS["review"], rt.clock)
        self.consumer = IdempotentConsumer(
            consumer_name("registration"), rt.engine, rt.handlers, rt.clock
        )
        self.offset = 0

    def return_dossier(self, unit_id: str, year: int, dossier_id: str, revision: int, due: date):
        event = DossierReturned(unit_id, year, dossier_id, revision, ("Thiếu biên bản",), due)
        stream = f"review-case-{unit_id}-{year}"
        with self.engine.begin() as conn:
            version = self.store.version_of(conn, stream)
            actor = {"sub": "reviewer-1", "role": "reviewer"}
            [env] = self.store.append(
                conn, stream, version, [event], Context(actor, str(uuid.uuid4()))
            )
        record = Record(TOPICS["review"], 0, self.offset, unit_id, env.to_bytes(), {})
        self.offset += 1
        return self.consumer.consume(record)
