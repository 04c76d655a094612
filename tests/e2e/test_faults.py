"""Faults with real processes: a relay killed mid-way, hostile messages, a broker that forgets."""

import json
import uuid

import pytest

from shared.messaging.kafka import KafkaPublisher, KafkaSubscription
from shared.messaging.ports import Outgoing
from tests.e2e import flow
from tests.e2e.client import wait_until

pytestmark = pytest.mark.e2e
TOPIC = "antt.registration"
CONSUMERS = ("review", "notification", "reporting")


def publisher(system):
    return KafkaPublisher(system.broker.bootstrap, {}, "e2e-test")


def registration_rows(system, unit_id):
    with system.engines["registration"].connect() as conn:
        import sqlalchemy as sa

        return conn.execute(
            sa.text("SELECT event_id, envelope FROM events WHERE unit_id = :u ORDER BY position"),
            {"u": unit_id},
        ).all()


def copies_in_reporting(system, event_id):
    return system.scalar(
        "reporting", "SELECT count(*) FROM event_log WHERE event_id = :e", e=event_id
    )


def notifications_for(system, unit_id):
    r = system.api("notification", "GET", f"/notifications?unit_id={unit_id}", "auditor")
    assert r.status == 200, r.json
    return r.json


def test_a_relay_killed_between_commit_and_publish_loses_nothing_and_doubles_nothing(system):
    flow.setup_campaign_and_commune(system)
    system.stack.kill("registration-relay")
    units = [f"kdc-crash-{n}" for n in range(3)]
    for unit_id in units:
        flow.add_unit(system, unit_id)
        flow.register_late(system, unit_id)
    backlog = system.scalar(
        "registration", "SELECT count(*) FROM outbox WHERE published_at IS NULL"
    )
    assert backlog >= 6
    # The dead relay had already sent some rows without marking them: they go out twice.
    sent_twice = registration_rows(system, units[0])
    publisher(system).publish(
        TOPIC,
        [
            Outgoing(units[0], row.envelope.encode(), {"event_id": row.event_id})
            for row in sent_twice
        ],
    )
    system.stack.start_process("registration-relay")

    wait_until(
        lambda: (
            system.scalar("registration", "SELECT count(*) FROM outbox WHERE published_at IS NULL")
            == 0
        ),
        "the restarted relay to publish the backlog",
    )
    for unit_id in units:
        flow.case_in_review(system, unit_id, "registered")
        rows = registration_rows(system, unit_id)
        wait_until(
            lambda rows=rows: all(copies_in_reporting(system, r.event_id) for r in rows),
            f"reporting to hold every event of {unit_id}",
        )
        assert [copies_in_reporting(system, r.event_id) for r in rows] == [1, 1]
        wait_until(
            lambda u=unit_id: len(notifications_for(system, u)) == 1,
            f"one notification for {unit_id}'s registration",
        )
    assert [n["template"] for n in notifications_for(system, units[0])] == ["registration_received"]


def test_a_duplicated_and_a_malformed_message_one_takes_effect_once_the_other_is_parked(system):
    [dup] = [r for r in registration_rows(system, "kdc-crash-1")][-1:]
    publisher(system).publish(
        TOPIC,
        [
            Outgoing("kdc-crash-1", dup.envelope.encode(), {"event_id": dup.event_id}),
            Outgoing("kdc-crash-1", b'{"event_id": "broken", "payload": ', {}),
        ],
    )
    flow.add_unit(system, "kdc-after-garbage")
    flow.register_late(system, "kdc-after-garbage")
    flow.case_in_review(system, "kdc-after-garbage", "registered")
    for service in CONSUMERS:
        wait_until(
            lambda s=service: (
                system.scalar(s, "SELECT count(*) FROM parked WHERE reason LIKE 'not an envelope%'")
                == 1
            ),
            f"{service} to park the malformed message",
        )
    wait_until(
        lambda: len(notifications_for(system, "kdc-after-garbage")) == 1,
        "the consumer to keep going after the malformed message",
    )
    assert copies_in_reporting(system, dup.event_id) == 1
    assert len(notifications_for(system, "kdc-crash-1")) == 1


def snapshot(system):
    report = system.api("reporting", "GET", "/reports/2026", "auditor").json
    cases = system.api("review", "GET", "/cases?year=2026", "reviewer").json
    notes = notifications_for(system, "kdc-crash-0") + notifications_for(system, "kdc-skel-b")
    return report["units"], sorted(c["unit_id"] + c["status"] for c in cases), len(notes)


def topic_event_ids(system, topic, want: int) -> set:
    sub = KafkaSubscription(system.broker.bootstrap, {}, f"probe-{uuid.uuid4().hex}", [topic])
    seen = set()
    try:
        wait_until(
            lambda: (
                seen.update(r.headers.get("event_id") for r in sub.poll(1.0)) or len(seen) >= want
            ),
            f"{want} events back on {topic}",
        )
    finally:
        sub.close()
    return seen


def test_after_the_broker_restarts_empty_relays_republish_and_projections_are_unchanged(system):
    flow.run_whole_flow(system, "kdc-skel-b", "202/QĐ-UBND")
    wait_until(lambda: len(notifications_for(system, "kdc-skel-b")) == 4, "four notifications")
    before = snapshot(system)

    system.broker.restart()

    stored = system.scalar("registration", "SELECT count(*) FROM events")
    ids = topic_event_ids(system, TOPIC, stored)
    assert len(ids) >= stored
    flow.add_unit(system, "kdc-after-restart")
    flow.register_late(system, "kdc-after-restart")
    flow.case_in_review(system, "kdc-after-restart", "registered")
    wait_until(
        lambda: flow.status_in_report(system, "kdc-after-restart") == "registered",
        "reporting to follow the new broker",
    )
    wait_until(
        lambda: len(notifications_for(system, "kdc-after-restart")) == 1,
        "notification to follow the new broker",
    )
    units, cases, notes = snapshot(system)
    assert [u for u in units if u["unit_id"] != "kdc-after-restart"] == before[0]
    assert [c for c in cases if not c.startswith("kdc-after-restart")] == before[1]
    assert notes == before[2]


def first_appearances_in_order(system, topic: str, want: int) -> bool:
    """Read the topic with a plain kafka-python consumer (no group, from offset 0): for every
    stream, the versions must first appear in ascending order, whatever was repeated."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(
        bootstrap_servers=system.broker.bootstrap, enable_auto_commit=False, group_id=None
    )
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        records = []
        wait_until(
            lambda: (
                records.extend(r for b in consumer.poll(1000).values() for r in b)
                or len(records) >= want
            ),
            f"{want} records on {topic}",
        )
    finally:
        consumer.close()
    firsts: dict[str, list[int]] = {}
    for rec in sorted(records, key=lambda r: (r.partition, r.offset)):
        env = json.loads(rec.value)
        seen = firsts.setdefault(env["stream_id"], [])
        if env["stream_version"] not in seen:
            seen.append(env["stream_version"])
    out_of_order = {s: v for s, v in firsts.items() if v != sorted(v)}
    assert out_of_order == {}, out_of_order
    return True


def test_a_restart_with_the_broker_empty_keeps_every_streams_first_appearances_in_order(system):
    flow.setup_campaign_and_commune(system)
    flow.add_unit(system, "kdc-order-a")
    wait_until(lambda: flow.status_in_report(system, "kdc-order-a"), "the unit in reporting")
    # `make run` stopped (the relay with it) and started again: the memory broker is empty.
    system.stack.kill("registration-relay")
    system.broker.restart()
    flow.register_late(system, "kdc-order-a")  # written while no relay runs
    moved = {"contact_email": "kdc-order-a-moi@example.vn"}  # the unit's stream, version 2
    r = system.api("registration", "PATCH", "/units/kdc-order-a", "admin", moved)
    assert r.status == 200, r.json
    flow.add_unit(system, "kdc-order-b")
    system.stack.start_process("registration-relay")
    stored = system.scalar("registration", "SELECT count(*) FROM events")
    assert first_appearances_in_order(system, TOPIC, stored)
    flow.case_in_review(system, "kdc-order-a", "registered")
