"""End-to-end latency: from the 201 of POST /dossiers to the case in review and in reporting.

    .venv/bin/python -m bench.latency [--rate 50] [--seconds 20]

The whole system as real processes (shared.stack.Stack: four APIs under gunicorn with 2
workers, relays, consumers) on fresh PostgreSQL databases and its own embedded broker. Units
are registered first and the backlog drained; then dossiers are sent at a steady rate (open
loop) while a watcher thread polls review's and reporting's databases every ~10 ms and notes
when each unit's dossier first shows. In the same run, the ceiling: a bare kafka-python
producer → consumer round trip at the same rate.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from bench import dossiers, machine, openloop, profile
from bench.ceilings import broker_round_trip
from bench.servers import databases
from shared.broker import EmbeddedBroker, free_port
from shared.stack import WORKERS, Stack

SEEN_IN = {
    # review: the case's timeline holds the DossierSubmitted it consumed
    "review": "SELECT unit_id FROM case_timeline WHERE event_type = 'DossierSubmitted'",
    # reporting: the unit-year projection counts the dossier
    "reporting": "SELECT unit_id FROM unit_years WHERE year = 2026 AND dossiers_filed > 0",
}
REGISTERED_IN = {
    "review": "SELECT count(*) FROM case_timeline WHERE event_type = 'UnitRegistered'",
    "reporting": "SELECT count(*) FROM unit_years WHERE year = 2026",
}


class Watcher(threading.Thread):
    """Polls one database and records the first moment each unit shows."""

    def __init__(self, url: str, sql: str, every_s: float = 0.01):
        super().__init__(daemon=True)
        self.engine, self.sql, self.every_s = sa.create_engine(url), sa.text(sql), every_s
        self.first_seen: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        with self.engine.connect() as conn:
            while not self.stop.is_set():
                rows = conn.execute(self.sql).scalars().all()
                conn.rollback()  # a fresh snapshot next time
                now = time.monotonic()
                for unit in rows:
                    self.first_seen.setdefault(unit, now)
                self.stop.wait(self.every_s)


def wait_for(engine, sql: str, count: int, timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(sa.text(sql)).scalar() >= count:
                return
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {count} rows of: {sql}")


def measure(work: Path, urls: dict, args) -> dict:
    broker = EmbeddedBroker(free_port(), work / "broker.log").start()
    env = {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "ANTT_CLOCK": dossiers.CLOCK}
    env |= {f"ANTT_{s.upper()}_DATABASE_URL": u for s, u in urls.items()}
    stack = Stack(work / "var", env=env, ports={s: free_port() for s in WORKERS})
    count = int(args.rate * args.seconds)
    try:
        stack.start()
        api = stack.url("registration")
        hashes = dossiers.prepare(api, count)
        engines = {s: sa.create_engine(urls[s]) for s in SEEN_IN}
        for service, sql in REGISTERED_IN.items():
            wait_for(engines[service], sql, count)
        watchers = {s: Watcher(urls[s], sql) for s, sql in SEEN_IN.items()}
        for w in watchers.values():
            w.start()
        template, answered = dossiers.dossier_template(hashes), {}
        bodies = [
            template.replace(dossiers.PLACEHOLDER, dossiers.unit_id(n)).encode()
            for n in range(count)
        ]
        load_before = machine.load()
        spy = args.profile and profile.start(
            stack.processes[args.profile].pid, args.seconds, work / "profile.folded"
        )
        sent = openloop.run(
            f"{api}/api/v1/dossiers",
            bodies,
            dossiers.ADMIN,
            args.rate,
            on_done=lambda i, status, t: answered.setdefault(dossiers.unit_id(i), t),
        )
        for w in watchers.values():
            wait_until_all(w, answered)
            w.stop.set()
        load_after = machine.load()
        if spy:
            spy.wait(60)
        ceiling = broker_round_trip(broker.bootstrap, args.rate, count)
        return {
            "sent": len(sent),
            "ok": sum(1 for _, status, _ in sent if status == 201),
            "delays": {
                s: [w.first_seen[u] - t for u, t in answered.items()] for s, w in watchers.items()
            },
            "ceiling": ceiling,
            "load": f"{load_before} → {load_after}",
            "profile": profile.summary(work / "profile.folded") if spy else None,
        }
    finally:
        stack.stop()
        broker.stop()


def wait_until_all(watcher: Watcher, answered: dict, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not set(answered) <= set(watcher.first_seen):
        if time.monotonic() > deadline:
            raise SystemExit("some dossiers never showed; see the stack's logs")
        time.sleep(0.1)


def report(r: dict, args) -> str:
    def row(label, values):
        cells = [f"{openloop.percentile(values, p) * 1000:.0f} ms" for p in (50, 99, 100)]
        return f"| {label} | " + " | ".join(cells) + " |"

    review, reporting, ceiling = r["delays"]["review"], r["delays"]["reporting"], r["ceiling"]
    verdict = (
        "met" if max(openloop.percentile(v, 99) for v in (review, reporting)) < 1 else "NOT met"
    )
    return f"""
## End-to-end latency: 201 of `POST /dossiers` → visible in review and in reporting

Machine: {machine.describe()}. The 1-minute load average went {r["load"]} during the run (the
stack's own processes included; anything else sharing the machine shows there).

Command: `{machine.command()}`

The whole system (`shared.stack.Stack`: four APIs under gunicorn with 2 workers, relays,
consumers, notification's sender and scheduler) on fresh PostgreSQL databases and its own
embedded broker; default settings (the relay polls its outbox every 0.2 s when idle).
{r["sent"]} dossiers of distinct registered units at a steady {args.rate:.0f} requests/s (open
loop), {r["ok"]} answered 201. A watcher thread polled review's `case_timeline` (the
DossierSubmitted row) and reporting's `unit_years` (`dossiers_filed > 0`) every ~10 ms; the
delay of a unit is its first sighting minus the arrival of its 201.

| from the 201 to … | p50 | p99 | max |
|---|---|---|---|
{row("the case in review", review)}
{row("the dossier in reporting's projection", reporting)}
{row("ceiling: bare kafka-python produce (acks=all) → consumer, same rate", ceiling)}

Target p99 < 1 s: **{verdict}**.
{_profile_text(r["profile"], args.profile)}"""


def _profile_text(summary: str | None, process: str | None) -> str:
    if not summary:
        return ""
    return f"\nWhere `{process}` spent its time during the load (py-spy, 200 Hz):\n\n{summary}\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="bench.latency", description=__doc__.splitlines()[0])
    p.add_argument("--rate", type=float, default=50)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument(
        "--profile",
        metavar="PROCESS",
        help="sample this process of the stack with py-spy during the load, e.g. "
        "reporting-consumer (needs `.venv/bin/pip install py-spy`)",
    )
    args = p.parse_args(argv)
    with databases("latency", WORKERS) as urls:
        work = Path(tempfile.mkdtemp(prefix="antt-bench-latency-"))
        results = measure(work, urls, args)
    text = report(results, args)
    print(text)
    machine.write_section("latency", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
