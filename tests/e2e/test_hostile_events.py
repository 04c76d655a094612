"""Hostile events on every topic: malformed and too-new ones are parked, unknown types skipped,
and every consumer of the topic keeps going."""

from __future__ import annotations

import uuid

import pytest

from shared.envelope import Envelope
from shared.events import TOPICS
from shared.messaging.kafka import KafkaPublisher
from shared.messaging.ports import Outgoing
from tests.e2e.client import wait_until

pytestmark = pytest.mark.e2e
SERVICES = ("registration", "review", "notification", "reporting")
KNOWN_TYPE = {
    "registration": "UnitAdded",
    "review": "IncidentRecorded",
    "notification": "NotificationSent",
}


def envelope(producer: str, event_type: str, version: int, payload: dict) -> Envelope:
    stream = f"hostile-{uuid.uuid4().hex[:8]}"
    return Envelope.sealed(
        event_id=str(uuid.uuid4()),
        event_type=event_type,
        event_version=version,
        occurred_at="2026-11-20T02:00:00.000000Z",
        producer=producer,
        stream_id=stream,
        stream_version=1,
        unit_id=stream,
        year=2026,
        actor={"sub": "intruder", "role": "admin"},
        correlation_id=str(uuid.uuid4()),
        causation_id=None,
        prev_hash=None,
        payload=payload,
    )


def outgoing(env: Envelope, key: str) -> Outgoing:
    return Outgoing(key, env.to_bytes(), {"event_id": env.event_id})


def subscribers(system, topic: str) -> list[str]:
    """The services whose consumer holds partitions of the topic (from their progress rows)."""

    def rows(service, where="", **params):
        return system.scalar(service, f"SELECT count(*) FROM consumer_progress {where}", **params)

    wait_until(lambda: all(rows(s) for s in SERVICES), "every consumer to report its partitions")
    return [s for s in SERVICES if rows(s, "WHERE topic = :t", t=topic)]


def in_inbox(system, service: str, event_id: str) -> bool:
    sql = "SELECT count(*) FROM inbox WHERE event_id = :e"
    return system.scalar(service, sql, e=event_id) == 1


def parked_reason(system, service: str, event_id: str | None, offset_key: str) -> str | None:
    sql = "SELECT reason FROM parked WHERE (event_id = :e) OR (key = :k AND event_id IS NULL)"
    return system.scalar(service, sql, e=event_id or "", k=offset_key)


@pytest.mark.parametrize("producer", ["registration", "review", "notification"])
def test_every_consumer_of_a_topic_parks_or_skips_hostile_events_and_keeps_going(system, producer):
    topic = TOPICS[producer]
    future = envelope(producer, KNOWN_TYPE[producer], 99, {"anything": 1})
    unknown = envelope(producer, "EventFromTheFuture", 1, {"anything": 1})
    after = envelope(producer, "AnotherUnknownEvent", 1, {"n": 2})
    # One key, so one partition: the good record comes after the three hostile ones.
    key = f"hostile-{uuid.uuid4().hex[:8]}"
    bad = Outgoing(key, b'{"event_id": "x", "payload": ', {})
    publisher = KafkaPublisher(system.broker.bootstrap, {}, "hostile")
    try:
        publisher.publish(topic, [bad, *(outgoing(e, key) for e in (future, unknown, after))])
    finally:
        publisher.close()

    for service in subscribers(system, topic):
        wait_until(lambda s=service: in_inbox(system, s, after.event_id), f"{service} to go on")
        assert in_inbox(system, service, unknown.event_id), "an unknown type is skipped"
        assert parked_reason(system, service, unknown.event_id, "-") is None
        assert "99" in parked_reason(system, service, future.event_id, "-")
        assert parked_reason(system, service, None, key).startswith("not an envelope")
