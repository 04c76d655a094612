"""Registration's events for review's integration tests, carried by the real broker."""

from __future__ import annotations

import time
import uuid

from shared.envelope import Envelope
from shared.messaging.kafka import KafkaPublisher, KafkaSubscription
from shared.messaging.ports import Outgoing
from tests.unit.review.feed import TOPIC, RegistrationFeed


class BrokerFeed(RegistrationFeed):
    """Publishes each registration event to the broker and lets review's consumer apply it.

    The topic is shared with other tests of the session: only this feed's events are applied.
    """

    def __init__(self, tmp_path, review_rt, broker):
        super().__init__(tmp_path, review_rt)
        self.publisher = KafkaPublisher(broker.bootstrap, {}, "review-it-feed")
        self.subscription = KafkaSubscription(
            broker.bootstrap, {}, f"review-it-{uuid.uuid4().hex[:8]}", [TOPIC]
        )

    def deliver(self, env) -> str:
        key = env.unit_id or env.stream_id
        self.publisher.publish(TOPIC, [Outgoing(key, env.to_bytes(), {"event_id": env.event_id})])
        return self._apply_when_read(env.event_id)

    def _apply_when_read(self, event_id: str, timeout_s: float = 60) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for record in self.subscription.poll(0.5):
                if Envelope.from_bytes(record.value).event_id == event_id:
                    return self.consumer.consume(record)
        raise AssertionError(f"event {event_id} never came back from the broker")

    def close(self) -> None:
        self.subscription.close()
        self.publisher.close()


def read_topic(broker, topic: str, event_ids: set[str], timeout_s: float = 60) -> dict:
    """event_id → record for each of `event_ids`, read back from the topic."""
    found: dict = {}
    subscription = KafkaSubscription(broker.bootstrap, {}, f"review-it-{uuid.uuid4().hex}", [topic])
    try:
        deadline = time.monotonic() + timeout_s
        while set(found) != event_ids and time.monotonic() < deadline:
            for record in subscription.poll(0.5):
                event_id = record.headers.get("event_id")
                if event_id in event_ids:
                    found[event_id] = record
    finally:
        subscription.close()
    assert set(found) == event_ids, f"missing on {topic}: {event_ids - set(found)}"
    return found
