"""The supervisor's back-off: 1 s doubling to 60 s between restarts, reset after a good run."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from prometheus_client import generate_latest

from shared.stack import Stack
from shared.supervisor import Backoff, Supervisor, exit_status


class FakeProcess:
    pids = iter(range(1000, 2000))

    def __init__(self):
        self.pid, self.returncode = next(self.pids), None

    def poll(self):
        return self.returncode


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def supervised(*names):
    processes = {name: FakeProcess() for name in names}
    clock = Clock()

    def restart(name):
        processes[name] = FakeProcess()
        return processes[name]

    return processes, clock, Supervisor(processes, restart, Backoff(), clock)


def crash_and_wait(processes, clock, supervisor, name: str) -> float:
    """Let `name` die now; return how long the supervisor waited before starting it again."""
    dead = processes[name]
    dead.returncode = 1
    supervisor.tend()
    started = clock.now
    while processes[name] is dead:
        clock.now += 0.5
        supervisor.tend()
    return clock.now - started


def test_the_delay_doubles_from_one_second_and_stops_at_a_minute():
    backoff = Backoff()
    assert [backoff.delay(n) for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert backoff.delay(10_000) == 60


def test_a_process_that_keeps_failing_waits_longer_each_time_and_every_restart_is_counted():
    processes, clock, supervisor = supervised("review-consumer", "review-api")
    supervisor.tend()
    waits = [crash_and_wait(processes, clock, supervisor, "review-consumer") for _ in range(8)]
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    assert supervisor.restart_count("review-consumer") == 8
    assert supervisor.restart_count("review-api") == 0
    text = generate_latest(supervisor.registry).decode()
    assert 'antt_process_restarts_total{process="review-consumer"} 8.0' in text
    assert 'antt_process_restarts_total{process="review-api"} 0.0' in text


def test_a_process_that_stayed_up_for_a_while_starts_again_from_one_second():
    processes, clock, supervisor = supervised("reporting-consumer")
    supervisor.tend()
    assert [crash_and_wait(processes, clock, supervisor, "reporting-consumer") for _ in range(3)]
    clock.now += Backoff().reset_after_s
    supervisor.tend()
    assert crash_and_wait(processes, clock, supervisor, "reporting-consumer") == 1


def test_each_exit_and_restart_is_logged_with_its_status_count_and_delay(caplog):
    processes, clock, supervisor = supervised("notification-sender")
    supervisor.tend()
    with caplog.at_level(logging.INFO, logger="antt.supervisor"):
        processes["notification-sender"].returncode = -9
        supervisor.tend()
        clock.now += 1
        supervisor.tend()
    exited, restarted = caplog.messages
    assert "notification-sender exited (killed by SIGKILL)" in exited
    assert "restart 1 in 1 s" in exited
    assert restarted.startswith("notification-sender restarted (pid ")
    assert restarted.endswith("restarts so far: 1")


def test_a_process_that_cannot_be_spawned_is_tried_again_later():
    clock, attempts = Clock(), []
    processes = {"review-relay": FakeProcess()}

    def restart(name):
        attempts.append(clock.now)
        if len(attempts) == 1:
            raise OSError("no such file")
        processes[name] = FakeProcess()
        return processes[name]

    supervisor = Supervisor(processes, restart, Backoff(), clock)
    supervisor.tend()
    processes["review-relay"].returncode = 2
    for _ in range(20):
        supervisor.tend()
        clock.now += 0.5
    assert attempts == [1.0, 3.0]
    assert supervisor.restart_count("review-relay") == 1


def test_exit_statuses_read_as_a_person_would_say_them():
    assert exit_status(-15) == "killed by SIGTERM"
    assert exit_status(3) == "exit status 3"


def test_an_unsupervised_stack_still_stops_when_a_process_exits(tmp_path: Path):
    stack = Stack(tmp_path, processes={"review-consumer": FakeProcess()})
    stack.tend()
    stack.processes["review-consumer"].returncode = 1
    with pytest.raises(RuntimeError, match="review-consumer"):
        stack.tend()


def test_the_metrics_port_of_antt_run_is_read_from_the_environment(monkeypatch):
    from shared.cli import _supervisor_metrics_port

    monkeypatch.delenv("ANTT_SUPERVISOR_METRICS_PORT", raising=False)
    assert _supervisor_metrics_port() == 8009
    monkeypatch.setenv("ANTT_SUPERVISOR_METRICS_PORT", "0")
    assert _supervisor_metrics_port() == 0
    monkeypatch.setenv("ANTT_SUPERVISOR_METRICS_PORT", "tám nghìn")
    with pytest.raises(SystemExit, match="ANTT_SUPERVISOR_METRICS_PORT"):
        _supervisor_metrics_port()
