"""On PostgreSQL: a consumer killed in the middle of a parked replay, two instances racing over
an awaited stream, and a relay whose lock's session ended."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

import pytest
import sqlalchemy as sa

from shared.envelope import Envelope
from shared.messaging.claims import Awaiting
from shared.messaging.consumer import IdempotentConsumer
from shared.messaging.memory import InMemoryBroker
from shared.messaging.outbox import OutboxRelay
from shared.messaging.parking import list_parked
from shared.messaging.ports import Record
from shared.persistence.engine import create_schema, make_engine
from tests.e2e.client import wait_until
from tests.unit.shared.test_messaging import CLOCK, TOPIC
from tests.unit.shared.test_relay_and_parking import _wire

pytestmark = pytest.mark.integration


def incident_record(n: int = 1, offset: int = 0) -> Record:
    wire = _wire() | {"event_id": f"00000000-0000-0000-0000-{n:012d}"}
    wire["payload"] = wire["payload"] | {"incident_id": f"i{n}"}
    return Record(TOPIC, 0, offset, "u1", Envelope.sealed(**wire).to_bytes(), {})


def applied_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM applied")).scalar()


def write_applied(env, event, conn):
    conn.execute(sa.text("INSERT INTO applied (id) VALUES (:id)"), {"id": event.incident_id})


def blocking_handler(marker: str):
    def handler(env, event, conn):
        write_applied(env, event, conn)
        open(marker, "w").close()  # the projection row is written, not yet committed
        time.sleep(3600)

    return handler


def replay_in_child(url: str, marker: str) -> None:
    engine = make_engine(url)
    handlers = {"IncidentRecorded": [blocking_handler(marker)]}
    IdempotentConsumer("c", engine, handlers, CLOCK).replay_parked()


@pytest.fixture
def engine(pg_url):
    eng = make_engine(pg_url)
    create_schema(eng)
    with eng.begin() as conn:
        conn.execute(sa.text("CREATE TABLE applied (id TEXT PRIMARY KEY)"))
    yield eng
    eng.dispose()


def test_a_consumer_killed_during_a_parked_replay_applies_the_event_once_after_restart(
    engine, pg_url, tmp_path
):
    failing = {"IncidentRecorded": [lambda *a: (_ for _ in ()).throw(ValueError("not yet"))]}
    assert IdempotentConsumer("c", engine, failing, CLOCK).consume(incident_record()) == "parked"
    marker = str(tmp_path / "inside")
    child = multiprocessing.get_context("spawn").Process(
        target=replay_in_child, args=(pg_url, marker)
    )
    child.start()
    wait_until(lambda: os.path.exists(marker), "the replay to be half done")
    os.kill(child.pid, signal.SIGKILL)
    child.join(30)
    assert applied_count(engine) == 0 and list_parked(engine)[0]["status"] == "parked"

    restarted = IdempotentConsumer("c", engine, {"IncidentRecorded": [write_applied]}, CLOCK)
    assert [r["outcome"] for r in restarted.replay_parked()] == ["handled"]
    assert restarted.replay_parked() == [] and applied_count(engine) == 1
    assert list_parked(engine, status="replayed")[0]["id"] is not None


def test_two_instances_racing_over_an_awaited_stream_leave_nothing_waiting(engine):
    known, checked, unit_moved = set(), threading.Event(), threading.Event()

    def needs_unit(env, event, conn):
        if event.unit_id not in known:
            checked.set()
            unit_moved.wait(30)  # instance A applies the unit meanwhile and finds no waiter
            raise Awaiting("unit-u1", "the unit is not in the directory yet")
        write_applied(env, event, conn)

    b = IdempotentConsumer("c", engine, {"IncidentRecorded": [needs_unit]}, CLOCK)
    racing = threading.Thread(target=b.consume, args=(incident_record(),))
    racing.start()
    checked.wait(30)
    a = IdempotentConsumer("c", engine, {"IncidentRecorded": [needs_unit]}, CLOCK)
    with engine.connect() as conn:  # what A's batch asks once it has applied unit-u1
        assert a.parking.waiting_streams(conn, ["unit-u1"]) == []
    known.add("u1")
    unit_moved.set()
    racing.join(30)
    assert [p["waiting_for"] for p in list_parked(engine)] == ["unit-u1"]
    a.sweep()  # the periodic sweep of either instance
    assert list_parked(engine) == [] and applied_count(engine) == 1


def test_a_relay_whose_lock_session_ended_stops_publishing_until_it_holds_the_lock_again(
    engine,
):
    broker, stop = InMemoryBroker(), threading.Event()
    first = OutboxRelay(engine, broker, TOPIC, CLOCK)
    thread = threading.Thread(target=first.run, args=(stop, 0.05, 60))
    thread.start()
    try:
        wait_until(lambda: first.leadership._conn is not None, "the first relay to lead")
        leading = first.leadership._conn
        with engine.connect() as conn:
            killed = conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND objid = :k"
                ),
                {"k": first.leadership.key},
            ).scalar()
        assert killed
        second = OutboxRelay(engine, broker, TOPIC, CLOCK)
        assert second.leadership.acquire(threading.Event())  # the lock was free: PostgreSQL
        # dropped it with the session, and the first relay must notice it no longer leads
        wait_until(lambda: first.leadership._conn is not leading, "the first relay to step down")
        second.leadership.release()
    finally:
        stop.set()
        thread.join(30)
