"""`antt run`'s supervision: a worker killed with SIGKILL runs again, and the restart is counted."""

from __future__ import annotations

import urllib.request

import pytest

from shared.broker import EmbeddedBroker, free_port
from shared.stack import Stack
from tests.e2e.client import wait_until

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
        yield stack
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


def test_a_worker_killed_with_sigkill_is_started_again_and_its_restart_is_exported(supervised):
    stack = supervised
    stack.tend()
    assert f'antt_process_restarts_total{{process="{WORKER}"}} 0.0' in metrics(stack)
    old_pid = stack.processes[WORKER].pid
    stack.kill(WORKER)
    wait_until(lambda: running_again(stack, old_pid), f"{WORKER} to run again", timeout_s=60)
    assert f'antt_process_restarts_total{{process="{WORKER}"}} 1.0' in metrics(stack)
    log = (stack.var_dir / "log" / "supervisor.log").read_text()
    assert f"{WORKER} exited (killed by SIGKILL)" in log
    assert f"{WORKER} restarted (pid {stack.processes[WORKER].pid}); restarts so far: 1" in log
