"""`antt run`'s supervision: a worker killed with SIGKILL runs again, and the restart is counted."""

from __future__ import annotations

import urllib.request
import uuid

import pytest
import sqlalchemy as sa

from shared.broker import EmbeddedBroker, free_port
from shared.envelope import Envelope
from shared.events import TOPICS
from shared.messaging.kafka import KafkaPublisher
from shared.messaging.ports import Outgoing
from shared.stack import Stack
from tests.e2e.client import wait_until

pytestmark = pytest.mark.e2e

WORKER = "reporting-consumer"


@pytest.fixture
def supervised(pg, tmp_path):
    """A small supervised stack: a broker, PostgreSQL and one real consumer process."""
    broker = EmbeddedBroker(free_port(), tmp_path / "broker.log").start()
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        "ANTT_REPORTING_DATABASE_URL": pg.new("supervised_reporting"),
    }
    stack = Stack(tmp_path / "var", env=env, supervise=True, metrics_port=free_port())
    try:
        stack.start_supervisor()
        stack.start_process(WORKER)
        yield stack, broker
    finally:
        stack.stop()
        broker.stop()


def metrics(stack: Stack) -> str:
    url = f"http://127.0.0.1:{stack.metrics_port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read().decode()


def running_again(stack: Stack, old_pid: int) -> bool:
    stack.tend()
    proc = stack.processes[WORKER]
    return proc.pid != old_pid and proc.poll() is None


def an_event_of_a_type_reporting_skips() -> Envelope:
    stream = f"supervised-{uuid.uuid4().hex[:8]}"
    return Envelope.sealed(
        event_id=str(uuid.uuid4()),
        event_type="EventFromTheFuture",
        event_version=1,
        occurred_at="2026-11-20T02:00:00.000000Z",
        producer="registration",
        stream_id=stream,
        stream_version=1,
        unit_id=stream,
        year=2026,
        actor={"sub": "test", "role": "admin"},
        correlation_id=str(uuid.uuid4()),
        causation_id=None,
        prev_hash=None,
        payload={"n": 1},
    )


def consumed(stack: Stack, event_id: str) -> bool:
    stack.tend()
    engine = sa.create_engine(stack.env["ANTT_REPORTING_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            sql = sa.text("SELECT count(*) FROM inbox WHERE event_id = :e")
            return conn.execute(sql, {"e": event_id}).scalar() == 1
    except sa.exc.ProgrammingError:  # its tables are not made yet
        return False
    finally:
        engine.dispose()


def test_a_worker_killed_with_sigkill_is_started_again_and_its_restart_is_exported(supervised):
    stack, broker = supervised
    stack.tend()
    assert f'antt_process_restarts_total{{process="{WORKER}"}} 0.0' in metrics(stack)
    old_pid = stack.processes[WORKER].pid
    stack.kill(WORKER)
    wait_until(lambda: running_again(stack, old_pid), f"{WORKER} to run again", timeout_s=60)
    assert f'antt_process_restarts_total{{process="{WORKER}"}} 1.0' in metrics(stack)
    log = (stack.var_dir / "log" / "supervisor.log").read_text()
    assert f"{WORKER} exited (killed by SIGKILL)" in log
    assert f"{WORKER} restarted (pid {stack.processes[WORKER].pid}); restarts so far: 1" in log

    # And it works: an event published now is taken in by the restarted consumer.
    event = an_event_of_a_type_reporting_skips()
    publisher = KafkaPublisher(broker.bootstrap, {}, "supervised-test")
    try:
        publisher.publish(TOPICS["registration"], [Outgoing(event.stream_id, event.to_bytes(), {})])
    finally:
        publisher.close()
    wait_until(lambda: consumed(stack, event.event_id), "the restarted consumer to take it in")
