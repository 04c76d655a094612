"""End-to-end latency: from the 201 of POST /dossiers to the case in review and in reporting.

    .venv/bin/python -m bench.latency [--rate 50] [--seconds 20]

The whole system as real processes (shared.stack.Stack: four APIs under gunicorn with 2
workers, relays, consumers) on fresh PostgreSQL databases and its own embedded broker. Units
are registered first and the backlog drained, their mails sent too; then dossiers are sent at
a steady rate (open loop) while a watcher thread polls review's and reporting's databases
every ~10 ms and notes when each unit's dossier first shows. In the same run, the ceiling: a
bare kafka-python producer → consumer round trip at the same rate. With --profile, a second
pass of other units at the same rate samples one process with py-spy (the reported delays
come from the first).
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
    "notification": "SELECT count(*) FROM unit_progress WHERE year = 2026 AND registered",
}
# Registering the units queues mails; the sender drains them before the load starts,
# or the measured pass would share the machine with that backlog.
MAILS_WAITING = "SELECT count(*) FROM notification_records WHERE status = 'pending'"


class Watcher(threading.Thread):
    """Polls one database and records the first moment each answered unit shows.

    Each poll asks only about the units answered and not seen yet (a few dozen at 50/s, by
    index): the watcher shares the machine with the stack it measures, and reading every row
    seen so far 100 times a second took CPU from it. A unit that shows before its 201 has
    arrived is noted at the next poll after it (a delay of up to ~10 ms too much, never too
    little)."""

    def __init__(self, url: str, sql: str, answered: dict, every_s: float = 0.01):
        super().__init__(daemon=True)
        self.engine, self.every_s = sa.create_engine(url), every_s
        self.sql = sa.text(f"{sql} AND unit_id = ANY(:units)")
        self.answered = answered  # unit → time of its 201, filled by the sender's threads
        self.first_seen: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        with self.engine.connect() as conn:
            while not self.stop.is_set():
                waiting = [u for u in self.answered.copy() if u not in self.first_seen]
                rows = conn.execute(self.sql, {"units": waiting}).scalars().all()
                conn.rollback()  # a fresh snapshot next time
                now = time.monotonic()
                for unit in rows:
                    self.first_seen.setdefault(unit, now)
                self.stop.wait(self.every_s)


def wait_for(url: str, sql: str, done, timeout_s: float = 600) -> None:
    """Until `done(count)` holds for the count `sql` returns."""
    engine = sa.create_engine(url)
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if done(conn.execute(sa.text(sql)).scalar()):
                    return
            time.sleep(0.5)
        raise SystemExit(f"timed out waiting on: {sql}")
    finally:
        engine.dispose()


def measure(work: Path, urls: dict, args) -> dict:
    broker = EmbeddedBroker(free_port(), work / "broker.log").start()
    env = {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "ANTT_CLOCK": dossiers.CLOCK}
    env |= {f"ANTT_{s.upper()}_DATABASE_URL": u for s, u in urls.items()}
    stack = Stack(work / "var", env=env, ports={s: free_port() for s in WORKERS})
    count = int(args.rate * args.seconds)
    units = count * (2 if args.profile else 1)  # the profiled pass gets units of its own
    try:
        stack.start()
        api = stack.url("registration")
        hashes = dossiers.prepare(api, units)
        for service, sql in REGISTERED_IN.items():
            wait_for(urls[service], sql, lambda n: n >= units)
        template = dossiers.dossier_template(hashes)
        measured = send_and_watch(api, urls, template, range(count), args.rate)
        profiled = None
        if args.profile:
            # A second pass with the profiler attached: its samples take CPU from the stack it
            # watches, so the figures above come from the pass without it.
            folded = work / "profile.folded"
            spy = profile.start(stack.processes[args.profile].pid, args.seconds, folded)
            profiled = send_and_watch(api, urls, template, range(count, units), args.rate)
            if spy:
                spy.wait(60)
                profiled["profile"] = profile.summary(folded)
        ceiling = broker_round_trip(broker.bootstrap, args.rate, count)
        return measured | {"ceiling": ceiling, "profiled": profiled}
    finally:
        stack.stop()
        broker.stop()


def send_and_watch(api: str, urls: dict, template: str, numbers: range, rate: float) -> dict:
    """Dossiers of units `numbers` at `rate`; each one's delay until review and reporting
    show it."""
    wait_for(urls["notification"], MAILS_WAITING, lambda n: n == 0)
    answered: dict[str, float] = {}
    watchers = {s: Watcher(urls[s], sql, answered) for s, sql in SEEN_IN.items()}
    for w in watchers.values():
        w.start()
    bodies = [template.replace(dossiers.PLACEHOLDER, dossiers.unit_id(n)).encode() for n in numbers]
    load_before = machine.load()
    sent = openloop.run(
        f"{api}/api/v1/dossiers",
        bodies,
        dossiers.ADMIN,
        rate,
        on_done=lambda i, status, t: answered.setdefault(dossiers.unit_id(numbers[i]), t),
    )
    for w in watchers.values():
        wait_until_all(w, answered)
        w.stop.set()
    return {
        "sent": len(sent),
        "ok": sum(1 for _, status, _ in sent if status == 201),
        "delays": {
            s: [w.first_seen[u] - t for u, t in answered.items()] for s, w in watchers.items()
        },
        "load": f"{load_before} → {machine.load()}",
    }


def wait_until_all(watcher: Watcher, answered: dict, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not set(answered) <= set(watcher.first_seen):
        if time.monotonic() > deadline:
            raise SystemExit("some dossiers never showed; see the stack's logs")
        time.sleep(0.1)


def report(r: dict, args) -> str:
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
DossierSubmitted row) and reporting's `unit_years` (`dossiers_filed > 0`) every ~10 ms for the
units answered and not seen yet; the delay of a unit is its first sighting minus the arrival
of its 201.

| from the 201 to … | p50 | p99 | max |
|---|---|---|---|
{row("the case in review", review)}
{row("the dossier in reporting's projection", reporting)}
{row("ceiling: bare kafka-python produce (acks=all) → consumer, same rate", ceiling)}

Target p99 < 1 s: **{verdict}**.
{_profile_text(r["profiled"], args.profile)}"""


def row(label: str, values: list[float]) -> str:
    cells = [f"{openloop.percentile(values, p) * 1000:.0f} ms" for p in (50, 99, 100)]
    return f"| {label} | " + " | ".join(cells) + " |"


def _profile_text(profiled: dict | None, process: str | None) -> str:
    if not profiled:
        return ""
    review, reporting = profiled["delays"]["review"], profiled["delays"]["reporting"]
    summary = profiled.get("profile") or "(py-spy is not installed: no samples)"
    return f"""
Where `{process}` spent its time under the same load (py-spy, 200 Hz), in a second pass of
{profiled["sent"]} other units (load average {profiled["load"]}); with the profiler attached the
delays were:

| from the 201 to … (profiled pass) | p50 | p99 | max |
|---|---|---|---|
{row("the case in review", review)}
{row("the dossier in reporting's projection", reporting)}

{summary}
"""


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
