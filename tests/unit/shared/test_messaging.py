"""Outbox relay and idempotent consumer against the in-memory broker (same code as with Kafka)."""

import threading
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from shared.clock import VIETNAM, FixedClock
from shared.events.review import IncidentRecorded
from shared.messaging.consumer import CURRENT_BATCH, IdempotentConsumer
from shared.messaging.outbox import OutboxRelay
from shared.messaging.parking import list_parked
from shared.persistence.engine import create_schema, make_engine
from shared.persistence.event_store import Context
from shared.persistence.tables import outbox

CLOCK = FixedClock(datetime(2026, 5, 2, tzinfo=VIETNAM))
CTX = Context({"sub": "reviewer-1", "role": "reviewer"}, "corr-1")
TOPIC = "antt.review"


def make_db(tmp_path, name):
    eng = make_engine(f"sqlite:///{tmp_path / name}.db")
    create_schema(eng)
    return eng


def incident(n, unit="u1"):
    return IncidentRecorded(f"i{n}", unit, date(2026, 5, 2), "RA-3", f"vụ việc {n}")


def write(engine, store, stream, *ns, unit="u1"):
    with engine.begin() as conn:
        version = store.version_of(conn, stream)
        store.append(conn, stream, version, [incident(n, unit) for n in ns], CTX)


class Applied:
    """A projection for the tests: a table of the incidents applied, in order. It lives in the
    consumer's transaction, so a batch rolled back leaves nothing behind, as in a real one."""

    def __init__(self, fail_on=()):
        self.fail_on, self.engine = set(fail_on), None

    def __call__(self, env, event, conn):
        if event.incident_id in self.fail_on:
            raise ValueError(f"cannot apply {event.incident_id}")
        self.engine = conn.engine
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS applied (n INTEGER PRIMARY KEY, id TEXT)"))
        conn.execute(sa.text("INSERT INTO applied (id) VALUES (:id)"), {"id": event.incident_id})

    @property
    def ids(self) -> list[str]:
        if self.engine is None or not sa.inspect(self.engine).has_table("applied"):
            return []
        with self.engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT id FROM applied ORDER BY n")).scalars())


def consumer_for(tmp_path, applied, name="test-consumer"):
    return IdempotentConsumer(name, make_db(tmp_path, name), {"IncidentRecorded": [applied]}, CLOCK)


def drain(consumer, subscription):
    while records := subscription.poll():
        consumer._consume_batch(subscription, records, threading.Event())


def test_relay_publishes_in_log_order_keyed_by_unit_and_marks_rows(producer_db, broker, store):
    write(producer_db, store, "a", 1, 2, unit="unit-a")
    write(producer_db, store, "b", 3, unit="unit-b")
    relay = OutboxRelay(producer_db, broker, TOPIC, CLOCK)
    assert relay.publish_pending() == 3
    assert relay.publish_pending() == 0
    records = [r for log in broker.topics[TOPIC] for r in log]
    assert sorted((r.key, r.headers["event_type"]) for r in records) == [
        ("unit-a", "IncidentRecorded"),
        ("unit-a", "IncidentRecorded"),
        ("unit-b", "IncidentRecorded"),
    ]
    with producer_db.connect() as conn:
        assert conn.execute(sa.select(outbox.c.published_at.is_(None))).scalars().all() == [
            False,
            False,
            False,
        ]


def test_a_redelivered_event_takes_effect_once(tmp_path, producer_db, broker, store):
    write(producer_db, store, "a", 1, 2)
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    applied = Applied()
    consumer = consumer_for(tmp_path, applied)
    records = broker.subscribe("g", [TOPIC]).poll()
    outcomes = [consumer.consume(r) for r in records + records]
    assert applied.ids == ["i1", "i2"]
    assert outcomes == ["handled", "handled", "duplicate", "duplicate"]


def test_a_malformed_message_is_parked_and_the_consumer_goes_on(
    tmp_path, producer_db, broker, store
):
    broker.ensure_topics([TOPIC])
    broker.append_raw(TOPIC, "u1", b"{not json", partition=0)
    write(producer_db, store, "a", 1)
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    applied = Applied()
    consumer = consumer_for(tmp_path, applied)
    drain(consumer, broker.subscribe("g", [TOPIC]))
    assert applied.ids == ["i1"]
    [parked] = list_parked(consumer.engine)
    assert "not an envelope" in parked["reason"]


def test_a_failing_event_is_parked_later_events_of_its_stream_wait_and_replay_applies_all(
    tmp_path, producer_db, broker, store
):
    write(producer_db, store, "a", 1, 2, 3)
    write(producer_db, store, "b", 4, unit="u1")
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    applied = Applied(fail_on={"i2"})
    consumer = consumer_for(tmp_path, applied)
    drain(consumer, broker.subscribe("g", [TOPIC]))
    assert applied.ids == ["i1", "i4"]
    assert [p["reason"][:14] for p in list_parked(consumer.engine)] == [
        "handler failed",
        "an earlier eve",
    ]
    applied.fail_on.clear()
    results = consumer.replay_parked()
    assert [r["outcome"] for r in results] == ["handled", "handled"]
    assert applied.ids == ["i1", "i4", "i2", "i3"]
    assert list_parked(consumer.engine) == []


def test_unknown_event_types_are_skipped_and_future_versions_parked(
    tmp_path, producer_db, broker, store
):
    from shared.envelope import Envelope

    write(producer_db, store, "a", 1)
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    [real] = broker.subscribe("peek", [TOPIC]).poll()
    env = Envelope.from_bytes(real.value).to_wire()
    novel = {**env, "event_id": "n1", "stream_id": "x", "event_type": "BrandNewThing"}
    future = {**env, "event_id": "n2", "stream_id": "y", "event_version": 7}
    for wire in (novel, future):
        broker.append_raw(
            TOPIC,
            "u1",
            Envelope.sealed(**{k: v for k, v in wire.items() if k != "hash"}).to_bytes(),
        )
    applied = Applied()
    consumer = consumer_for(tmp_path, applied)
    drain(consumer, broker.subscribe("g", [TOPIC]))
    assert applied.ids == ["i1"]
    assert consumer.counts == {"handled": 1, "ignored": 1, "parked": 1}
    assert "v7" in list_parked(consumer.engine)[0]["reason"]


def test_a_tampered_message_is_parked_not_applied(tmp_path, producer_db, broker, store):
    write(producer_db, store, "a", 1)
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    [real] = broker.subscribe("peek", [TOPIC]).poll()
    forged = real.value.replace("vụ việc 1".encode(), "không có gì".encode())
    broker.wipe()
    broker.append_raw(TOPIC, "u1", forged)
    consumer = consumer_for(tmp_path, Applied())
    drain(consumer, broker.subscribe("g", [TOPIC]))
    assert "hash does not match" in list_parked(consumer.engine)[0]["reason"]


def test_after_the_broker_loses_its_log_the_relay_republishes_and_projections_converge(
    tmp_path, producer_db, broker, store
):
    write(producer_db, store, "a", 1, 2)
    relay = OutboxRelay(producer_db, broker, TOPIC, CLOCK)
    relay.publish_pending()
    applied = Applied()
    consumer = consumer_for(tmp_path, applied)
    drain(consumer, broker.subscribe("g", [TOPIC]))
    assert not relay.broker_lost_log()
    broker.wipe()
    write(producer_db, store, "a", 3)
    assert relay.broker_lost_log()
    relay.republish_all()
    relay.publish_pending()
    drain(consumer, broker.subscribe("g", [TOPIC]))
    assert applied.ids == ["i1", "i2", "i3"]
    assert not relay.broker_lost_log()


def test_a_consumer_that_finds_a_gap_reads_again_from_the_start(
    tmp_path, producer_db, broker, store
):
    write(producer_db, store, "a", 1, 2, 3)
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    applied = Applied()
    consumer = consumer_for(tmp_path, applied)
    sub = broker.subscribe("g", [TOPIC])
    records = sub.poll()
    sub.seek(records[1].topic, records[1].partition, records[1].offset + 1)
    consumer._consume_batch(sub, [records[0], records[2]], threading.Event())
    drain(consumer, sub)
    assert applied.ids == ["i1", "i2", "i3"]


def test_a_consumer_group_is_named_after_its_topics_incarnation():
    from shared.messaging.kafka import group_for

    first = group_for("antt-review", {"antt.review": "id-1", "antt.registration": "id-2"})
    same = group_for("antt-review", {"antt.registration": "id-2", "antt.review": "id-1"})
    recreated = group_for("antt-review", {"antt.review": "id-9", "antt.registration": "id-2"})
    assert first == same and first.startswith("antt-review.")
    assert recreated != first


class LateToSeeTheOtherInstance(IdempotentConsumer):
    """The race of a rebalance: its first inbox look comes before the other instance commits,
    its read of the stream position after."""

    looked = False

    def _in_inbox(self, conn, env):
        if not self.looked:
            self.looked = True
            return False
        return super()._in_inbox(conn, env)


def test_an_event_another_instance_applied_during_a_rebalance_is_a_duplicate_not_parked(
    tmp_path, producer_db, broker, store
):
    write(producer_db, store, "a", 1)
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    applied = Applied()
    engine = make_db(tmp_path, "shared-group")
    handlers = {"IncidentRecorded": [applied]}
    [record] = broker.subscribe("g", [TOPIC]).poll()
    assert IdempotentConsumer("c", engine, handlers, CLOCK).consume(record) == "handled"
    late = LateToSeeTheOtherInstance("c", engine, handlers, CLOCK)
    assert late.consume(record) == "duplicate"
    assert list_parked(engine) == [] and applied.ids == ["i1"]


def test_closing_a_producer_with_records_pending_does_not_kill_the_relay():
    from kafka.errors import KafkaTimeoutError

    from shared.messaging.kafka import KafkaPublisher

    class StuckProducer:
        def close(self, timeout=None):
            raise KafkaTimeoutError("Timeout waiting for pending records")

    publisher = KafkaPublisher("127.0.0.1:1", {}, "t")
    publisher._producer = StuckProducer()
    publisher.reset()
    assert publisher._producer is None


def test_an_event_parked_for_a_missing_predecessor_takes_effect_when_that_one_arrives(
    tmp_path, producer_db, broker, store
):
    write(producer_db, store, "a", 1, 2)
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    applied = Applied()
    consumer = consumer_for(tmp_path, applied)
    sub = broker.subscribe("g", [TOPIC])
    first, second = sub.poll()
    consumer._consume_batch(sub, [second], threading.Event())  # the gap: read again once
    consumer._consume_batch(sub, [second], threading.Event())  # still missing: parked
    [waiting] = list_parked(consumer.engine)
    assert waiting["stream_id"] == "a" and "missing earlier event" in waiting["reason"]
    consumer._consume_batch(sub, [first], threading.Event())
    assert applied.ids == ["i1", "i2"]
    assert list_parked(consumer.engine) == []


def test_a_polls_batch_is_applied_in_one_transaction_and_finishers_see_all_of_it(
    tmp_path, producer_db, broker, store
):
    write(producer_db, store, "a", 1, 2)
    write(producer_db, store, "b", 3, unit="u2")
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    finished = []

    def note_incident(env, event, conn):
        CURRENT_BATCH.get().setdefault("incidents", []).append(event.incident_id)

    def finish(conn, state):
        finished.append(sorted(state.get("incidents", [])))

    consumer = IdempotentConsumer(
        "c",
        make_db(tmp_path, "c"),
        {"IncidentRecorded": [note_incident]},
        CLOCK,
        finishers=[finish],
    )
    records = broker.subscribe("g", [TOPIC]).poll()
    assert consumer.consume_together(records) == ["handled"] * 3
    assert finished == [["i1", "i2", "i3"]]
    assert consumer.consume_together(records) == ["duplicate"] * 3
    assert finished == [["i1", "i2", "i3"], []]


def test_a_batch_holding_a_bad_record_is_applied_one_by_one_and_only_that_one_is_parked(
    tmp_path, producer_db, broker, store
):
    write(producer_db, store, "a", 1, 2, 3)
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    applied = Applied(fail_on={"i3"})
    consumer = consumer_for(tmp_path, applied)
    sub = broker.subscribe("g", [TOPIC])
    records = sub.poll()
    assert consumer.consume_together(records) is None
    assert applied.ids == []  # nothing of the batch took effect
    consumer._consume_batch(sub, records, threading.Event())
    assert applied.ids == ["i1", "i2"]
    assert [p["event_type"] for p in list_parked(consumer.engine)] == ["IncidentRecorded"]


def test_a_subscription_whose_broker_is_away_polls_nothing_instead_of_dying():
    from kafka.errors import KafkaConnectionError

    from shared.messaging.kafka import KafkaSubscription

    class BrokerAway:
        def poll(self, timeout_ms):
            raise KafkaConnectionError("111 ECONNREFUSED")

        def assignment(self):
            raise KafkaConnectionError("111 ECONNREFUSED")

    subscription = KafkaSubscription.__new__(KafkaSubscription)
    subscription._consumer = BrokerAway()
    assert subscription.poll(0.01) == []
    assert subscription.progress() == []


def test_without_a_broker_the_relays_probe_and_a_new_subscription_say_unavailable():
    from shared.messaging.kafka import KafkaPublisher, KafkaSubscription
    from shared.messaging.ports import BrokerUnavailable

    nobody = "127.0.0.1:1"  # nothing listens there: the relay must wait, not die
    give_up_soon = {"bootstrap_timeout_ms": 300}  # client options pass through like TLS ones
    with pytest.raises(BrokerUnavailable):
        KafkaPublisher(nobody, give_up_soon, "t").event_id_at("antt.review", 0, 0)
    with pytest.raises(BrokerUnavailable):
        KafkaSubscription(nobody, give_up_soon, "antt-review", ["antt.review"])
