"""Hostile records on every topic of a running stack: each class is parked or skipped with its
reason, no consumer exits, and a valid event sent afterwards reaches every projection."""

from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa

from shared.envelope import Envelope
from shared.events import TOPICS
from shared.messaging.kafka import KafkaPublisher
from shared.messaging.ports import Outgoing
from tests.e2e import flow
from tests.e2e.client import call, wait_until

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
        assert "unknown event type" in parked_reason(system, service, unknown.event_id, "-")
        assert "99" in parked_reason(system, service, future.event_id, "-")
        assert parked_reason(system, service, None, key).startswith("not an envelope")


def hostile_records(key: str) -> dict[str, bytes]:
    """One record of each class a buggy or hostile producer can write onto antt.registration."""
    good = envelope("registration", "UnitAdded", 1, {}).to_wire()

    def sealed(**changes) -> bytes:
        return Envelope.sealed(**{**good, **changes, "hash": None}).to_bytes()

    def raw(**changes) -> bytes:
        return json.dumps({**good, **changes}, ensure_ascii=True).encode()

    return {
        "undecodable": b"\xff\xfe\x00 not json",
        "not an object": b"[1, 2, 3]",
        "nested too deep": b"[" * 300_000 + b"]" * 300_000,
        "invalid unicode": raw(stream_id="\ud800", hash="0" * 64),
        "impossible version": sealed(event_version=0),
        "unknown version": sealed(event_version=99),
        "event id too long": sealed(event_id="e" * 37),
        "stream too long": sealed(stream_id="s" * 201),
        "broken payload": sealed(payload={"name": 1}),
        "wrong producer for the topic": sealed(producer="review"),
        "wrong producer for the type": sealed(event_type="RecognitionDecided"),
        "a number of 5,000 digits": b'{"event_id": ' + b"9" * 5000 + b"}",
        "tampered": raw(payload={"anything": 2}),
    }


def test_every_class_of_hostile_record_is_parked_with_its_reason_and_nothing_stops(system):
    unit_id = f"kdc-hostile-{uuid.uuid4().hex[:6]}"
    records = hostile_records(unit_id)
    publisher = KafkaPublisher(system.broker.bootstrap, {}, "hostile")
    try:  # the unit's own key: every hostile record sits before its first event
        publisher.publish(TOPICS["registration"], [Outgoing(unit_id, v) for v in records.values()])
    finally:
        publisher.close()
    flow.setup_campaign_and_commune(system)
    flow.add_unit(system, unit_id)

    for service in ("review", "notification", "reporting"):
        wait_until(
            lambda s=service: parked_count(system, s, unit_id) >= len(records),
            f"{service} to park every hostile record",
        )
    wait_until(lambda: system.scalar("review", IN_REVIEW, u=unit_id), "review to have the unit")
    wait_until(lambda: system.scalar("notification", UNIT_KNOWN, u=unit_id), "notification too")
    wait_until(lambda: flow.status_in_report(system, unit_id) is not None, "reporting too")
    dead = [name for name, proc in system.stack.processes.items() if proc.poll() is not None]
    assert dead == [], f"processes exited: {dead}"
    reasons = system_reasons(system, "reporting", unit_id)
    for expected in ("nested deeper", "not UTF-8", "lone surrogate", "does not write to"):
        assert any(expected in r for r in reasons), (expected, reasons)
    metrics = call("GET", system.stack.url("reporting") + "/metrics").body.decode()
    assert 'kind="malformed",service="reporting",status="parked"' in metrics


UNIT_KNOWN = "SELECT count(*) FROM unit_contacts WHERE unit_id = :u"
IN_REVIEW = "SELECT count(*) FROM units WHERE unit_id = :u"


def parked_count(system, service: str, key: str) -> int:
    sql = "SELECT count(*) FROM parked WHERE key = :k AND status = 'parked'"
    return system.scalar(service, sql, k=key)


def system_reasons(system, service: str, key: str) -> list[str]:
    with system.engines[service].connect() as conn:
        rows = conn.execute(sa.text("SELECT reason FROM parked WHERE key = :k"), {"k": key})
        return list(rows.scalars())
