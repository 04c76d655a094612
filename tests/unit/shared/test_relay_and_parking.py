"""The relay after a broker that lost its log, its pruned outbox, the seal's size limit, and
parked replays that take effect whole or not at all."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from shared.envelope import Envelope
from shared.messaging.claims import Awaiting, Unprocessable
from shared.messaging.consumer import IdempotentConsumer
from shared.messaging.outbox import OutboxRelay
from shared.messaging.parking import list_parked
from shared.messaging.ports import Record
from shared.persistence.event_store import EventStore, EventTooLarge
from shared.persistence.tables import outbox

# The fixtures of test_messaging (producer_db, broker, store) are shared through this import.
from tests.unit.shared.test_messaging import (
    CLOCK,
    CTX,
    TOPIC,
    Applied,
    consumer_for,
    drain,
    incident,
    make_db,
    write,
)


def published(broker) -> list[str]:
    """The event ids on the topic, in the order a reader of each partition meets them."""
    return [r.headers["event_id"] for log in broker.topics.get(TOPIC, []) for r in log]


def ids_of(producer_db) -> list[str]:
    with producer_db.connect() as conn:
        return list(
            conn.execute(sa.text("SELECT event_id FROM events ORDER BY position")).scalars()
        )


def test_a_new_relay_probes_before_its_first_publication_so_old_events_go_out_first(
    producer_db, broker, store
):
    write(producer_db, store, "a", 1, 2)
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    broker.wipe()  # the embedded broker restarted empty, as after a `make run` restart
    write(producer_db, store, "a", 3)  # written while the relay was down
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    assert published(broker) == ids_of(producer_db)


def test_offsets_that_go_back_after_a_probe_make_the_relay_publish_the_log_again(
    producer_db, broker, store
):
    write(producer_db, store, "a", 1, 2)
    relay = OutboxRelay(producer_db, broker, TOPIC, CLOCK)
    relay.publish_pending()
    broker.wipe()  # lost after the probe, unnoticed by the client
    write(producer_db, store, "a", 3)
    relay.publish_pending()  # lands at offset 0 again: the relay sees the log went back
    while relay.publish_pending():
        pass
    assert set(ids_of(producer_db)) <= set(published(broker))
    assert published(broker)[-3:] == ids_of(producer_db)


def test_published_rows_are_pruned_to_the_last_of_each_partition_and_restored_when_needed(
    tmp_path, producer_db, broker, store
):
    for n in range(1, 13):
        write(producer_db, store, f"s{n}", n, unit=f"unit-{n}")
    relay = OutboxRelay(producer_db, broker, TOPIC, CLOCK)
    relay.publish_pending()
    assert relay.prune() > 0
    with producer_db.connect() as conn:
        kept = conn.execute(sa.select(outbox.c.partition)).scalars().all()
    assert sorted(kept) == sorted(set(kept))  # one row per partition
    assert not relay.broker_lost_log()
    broker.wipe()
    assert relay.broker_lost_log()
    relay.republish_all()
    relay.publish_pending()
    applied = Applied()
    drain(consumer_for(tmp_path, applied), broker.subscribe("g", [TOPIC]))
    assert sorted(applied.ids) == sorted(f"i{n}" for n in range(1, 13))


def test_an_event_over_the_size_limit_is_refused_naming_its_largest_field(producer_db):
    small = EventStore("review", TOPIC, CLOCK, max_event_bytes=2000)
    big = replace(incident(1), description="x" * 5000)
    with producer_db.begin() as conn:
        try:
            small.append(conn, "a", 0, [big], CTX)
        except EventTooLarge as err:
            assert err.status == 413 and err.field == "description"
            assert "description" in err.errors
        else:
            raise AssertionError("an oversized event was stored")
    with producer_db.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM events")).scalar() == 0


def test_a_replay_that_fails_leaves_nothing_applied_and_the_row_parked(
    tmp_path, producer_db, broker, store
):
    write(producer_db, store, "a", 1)
    OutboxRelay(producer_db, broker, TOPIC, CLOCK).publish_pending()
    failing = Applied(fail_on={"i1"})
    consumer = consumer_for(tmp_path, failing)
    drain(consumer, broker.subscribe("g", [TOPIC]))
    [row] = list_parked(consumer.engine)
    assert consumer.replay_parked()[0]["outcome"] == "parked"
    [still] = list_parked(consumer.engine)
    assert (still["id"], still["status"]) == (row["id"], "parked")
    failing.fail_on.clear()
    assert consumer.replay_parked()[0]["outcome"] == "handled"
    assert list_parked(consumer.engine) == [] and failing.ids == ["i1"]
    assert consumer.replay_parked() == []  # applied once, never again


def test_the_sweep_applies_an_awaiting_event_whose_stream_moved_while_nobody_looked(tmp_path):
    # Two instances: A applied the awaited stream and looked for waiters before B parked one.
    directory: set[str] = set()

    def needs_unit(env, event, conn):
        if event.unit_id not in directory:
            raise Awaiting(f"unit-{event.unit_id}", "unit not in the directory yet")

    engine = make_db(tmp_path, "consumer")
    consumer = IdempotentConsumer("c", engine, {"IncidentRecorded": [needs_unit]}, CLOCK)
    env = Envelope.sealed(**_wire())
    rec = Record(TOPIC, 0, 0, "u1", env.to_bytes(), {})
    assert consumer.consume(rec) == "parked"
    directory.add("u1")  # the unit arrived through the other instance: no event here says so
    consumer.sweep()
    assert list_parked(engine) == []
    assert list_parked(engine, status="replayed")[0]["kind"] == "awaiting"


def test_a_hostile_record_is_parked_even_with_a_key_too_long_for_its_column(tmp_path):
    engine = make_db(tmp_path, "consumer")
    consumer = IdempotentConsumer("c", engine, {}, CLOCK)
    rec = Record(TOPIC, 0, 3, "k\x00" * 500, b"\xff not json", {})
    assert consumer.consume(rec) == "parked"
    [row] = list_parked(engine)
    assert row["kind"] == "malformed" and len(row["key"]) == 200 and "\x00" not in row["key"]


def test_an_unknown_event_type_is_skipped_counted_and_its_stream_moves_on(tmp_path):
    engine = make_db(tmp_path, "consumer")
    consumer = IdempotentConsumer("c", engine, {}, CLOCK)
    env = Envelope.sealed(**(_wire() | {"event_type": "FromTheFuture"}))
    assert consumer.consume(Record(TOPIC, 0, 0, "u1", env.to_bytes(), {})) == "ignored"
    [row] = list_parked(engine, status="skipped")
    assert row["kind"] == "unknown_type" and "FromTheFuture" in row["reason"]
    assert list_parked(engine) == []


def test_unprocessable_carries_its_kind():
    assert Unprocessable("x").kind == "failed"
    assert Awaiting("unit-1", "why").kind == "awaiting"


def _wire() -> dict:
    return {
        "event_id": "00000000-0000-0000-0000-000000000001",
        "event_type": "IncidentRecorded",
        "event_version": 1,
        "occurred_at": "2026-05-02T01:00:00.000000Z",
        "producer": "review",
        "stream_id": "incident-i1",
        "stream_version": 1,
        "unit_id": "u1",
        "year": 2026,
        "actor": {"sub": "reviewer-1", "role": "reviewer"},
        "correlation_id": "corr-1",
        "causation_id": None,
        "prev_hash": None,
        "payload": {
            "incident_id": "i1",
            "unit_id": "u1",
            "occurred_on": "2026-05-02",
            "criterion_id": "RA-3",
            "description": "vụ việc",
        },
    }
