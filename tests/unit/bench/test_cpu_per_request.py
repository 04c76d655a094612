"""The command benchmark's CPU per request: readings of /proc turned into milliseconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bench.servers import cpu_ms_per_request, cpu_seconds, worker_pids
from tests.e2e.client import wait_until


def test_cpu_per_request_is_the_growth_of_each_side_divided_by_the_requests():
    before = {10: ("workers", 1.0), 11: ("workers", 2.0), 20: ("postgres", 5.0)}
    after = {10: ("workers", 1.5), 11: ("workers", 2.5), 20: ("postgres", 5.2)}
    spent = cpu_ms_per_request(before, after, 100)
    assert spent == {"workers": pytest.approx(10.0), "postgres": pytest.approx(2.0)}


def test_a_process_started_during_the_run_counts_from_zero_and_one_that_ended_is_missed():
    before = {10: ("workers", 1.0), 30: ("postgres", 9.0)}
    after = {10: ("workers", 1.0), 31: ("postgres", 0.3)}
    spent = cpu_ms_per_request(before, after, 10)
    assert spent == {"workers": 0.0, "postgres": pytest.approx(30.0)}


def test_the_server_and_its_children_are_the_workers_side_and_the_children_its_workers():
    child = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'input()'])"
    server = subprocess.Popen(
        [sys.executable, "-c", child], stdin=subprocess.PIPE, start_new_session=True
    )
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    try:
        wait_until(lambda: children.read_text().split(), "the server's child")
        ours = [pid for pid, (side, _) in cpu_seconds(server).items() if side == "workers"]
        assert server.pid in ours and len(ours) == 2
        assert os.getpid() not in ours
        assert worker_pids(server) == [int(children.read_text().split()[0])]
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
