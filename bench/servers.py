"""Processes and databases the benchmarks start: throw-away PostgreSQL databases, gunicorn, wrk."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from bench import dossiers

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
LUA = Path(__file__).with_name("dossiers.lua")
WRK_THREADS, WRK_CONNECTIONS = 2, 16


def gunicorn(app: str, port: int, env: dict, log: Path) -> subprocess.Popen:
    """The same server settings for both sides (as shared.stack starts an API)."""
    cmd = [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    cmd += ["--access-logfile", "-", app]
    out = open(log, "ab")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"{app} did not start; see {log}")


def _processes():
    """(pid, name, fields after the name) of every process in /proc/<pid>/stat (proc(5))."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1].split()
        yield int(stat.parent.name), name, fields


def cpu_seconds(server: subprocess.Popen) -> dict[int, tuple[str, float]]:
    """Pid → (side, CPU seconds so far, user + system) of a gunicorn's processes (arbiter and
    workers: "workers") and of every PostgreSQL process ("postgres": its backends serve the
    benchmark's pools)."""
    used, ticks_per_s = {}, os.sysconf("SC_CLK_TCK")
    for pid, name, fields in _processes():
        ours = server.pid in (pid, int(fields[1]))
        side = "workers" if ours else "postgres" if name.startswith("postgres") else ""
        if side:
            used[pid] = (side, (int(fields[11]) + int(fields[12])) / ticks_per_s)
    return used


def worker_pids(server: subprocess.Popen) -> list[int]:
    """The pids of a gunicorn arbiter's workers."""
    return sorted(pid for pid, _, fields in _processes() if int(fields[1]) == server.pid)


def cpu_ms_per_request(before: dict, after: dict, requests: int) -> dict[str, float]:
    """Side → milliseconds of CPU per request between two `cpu_seconds` readings (a process
    that ended between them is missed: the pools keep theirs for the whole run)."""
    spent = {"workers": 0.0, "postgres": 0.0}
    for pid, (side, seconds) in after.items():
        spent[side] += seconds - before.get(pid, (side, 0.0))[1]
    return {side: total * 1000 / max(requests, 1) for side, total in spent.items()}


def wrk(base: str, first: int, template: Path, seconds: int, server=None) -> dict:
    """A closed-loop peak run; with the `server`'s process, its CPU and PostgreSQL's per request."""
    before = cpu_seconds(server) if server else None
    cmd = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency"]
    cmd += ["-s", str(LUA), base, "--", str(first), str(template), dossiers.ADMIN]
    out = subprocess.run([*cmd, str(WRK_THREADS)], capture_output=True, text=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out)[1])
    after = cpu_seconds(server) if server else None
    return {
        "cpu_ms": cpu_ms_per_request(before, after, requests) if server else {},
        "rate": float(re.search(r"Requests/sec:\s*([\d.]+)", out)[1]),
        "requests": requests,
        "non_2xx": int(bad[1]) if bad else 0,
        "p50": re.search(r"^\s*50%\s+(\S+)", out, re.M)[1],
        "p99": re.search(r"^\s*99%\s+(\S+)", out, re.M)[1],
        "raw": out,
    }


@contextmanager
def databases(label: str, names):
    """One fresh PostgreSQL database per name ({name: url}), dropped on the way out."""
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    made = {n: f"antt_bench_{label}_{n}_{uuid.uuid4().hex[:6]}" for n in names}
    try:
        with admin.connect() as conn:
            for db in made.values():
                conn.execute(sa.text(f'CREATE DATABASE "{db}"'))
        yield {n: PG_ADMIN.rsplit("/", 1)[0] + "/" + db for n, db in made.items()}
    finally:
        with admin.connect() as conn:
            for db in made.values():
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()
