"""Catch-up: after a broker outage with dossiers arriving, how long until every projection has
caught up, as a ratio to the outage's length (target ≤ 0.2).

    .venv/bin/python -m bench.catchup [--rate 50] [--outage 600]

The whole system as real processes (shared.stack.Stack) on fresh PostgreSQL databases and its
own embedded broker. Units are registered first and every projection given time to show them;
then the broker is stopped, dossiers keep arriving at a steady rate (open loop: the APIs answer
201 from their own databases, the events wait in the outboxes), and the broker is started again.
The clock runs from that start until review, notification and reporting all show every dossier.
The embedded broker keeps its log in memory, so it comes back empty: the relays publish their
whole log again and the consumers read it from the start, skipping what they applied — more
work than after an outage of a real Kafka, which keeps its log.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench import dossiers, machine, openloop
from bench.latency import REGISTERED_IN, wait_for
from bench.servers import databases
from shared.broker import EmbeddedBroker, free_port
from shared.stack import WORKERS, Stack

TARGET = 0.2
CAUGHT_UP = {
    "review": "SELECT count(*) FROM case_timeline WHERE event_type = 'DossierSubmitted'",
    "notification": "SELECT count(*) FROM unit_progress WHERE year = 2026 AND dossier_revision > 0",
    "reporting": "SELECT count(*) FROM unit_years WHERE year = 2026 AND dossiers_filed > 0",
}


def measure(work: Path, urls: dict, args) -> dict:
    broker = EmbeddedBroker(free_port(), work / "broker.log").start()
    env = {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "ANTT_CLOCK": dossiers.CLOCK}
    env |= {f"ANTT_{s.upper()}_DATABASE_URL": u for s, u in urls.items()}
    stack = Stack(work / "var", env=env, ports={s: free_port() for s in WORKERS})
    count = int(args.rate * args.outage)
    try:
        stack.start()
        api = stack.url("registration")
        hashes = dossiers.prepare(api, count)
        for service, sql in REGISTERED_IN.items():
            wait_for(urls[service], sql, lambda n: n >= count)
        bodies = [
            dossiers.dossier_template(hashes).replace(dossiers.PLACEHOLDER, dossiers.unit_id(n))
            for n in range(count)
        ]
        load_before = machine.load()
        down = time.monotonic()
        broker.stop()
        sent = openloop.run(
            f"{api}/api/v1/dossiers", [b.encode() for b in bodies], dossiers.ADMIN, args.rate
        )
        broker.start()  # the open loop took the outage's length: the broker was down meanwhile
        back = time.monotonic()
        caught = {s: caught_up_after(urls[s], sql, count, back) for s, sql in CAUGHT_UP.items()}
        return {
            "sent": len(sent),
            "ok": sum(1 for _, status, _ in sent if status == 201),
            "outage": back - down,
            "caught": caught,
            "load": f"{load_before} → {machine.load()}",
        }
    finally:
        stack.stop()
        broker.stop()


def caught_up_after(url: str, sql: str, want: int, since: float, timeout_s=3600) -> float:
    """Seconds from `since` until `sql` counts `want` (polled every 0.5 s)."""
    engine = sa.create_engine(url)
    try:
        while time.monotonic() - since < timeout_s:
            with engine.connect() as conn:
                if conn.execute(sa.text(sql)).scalar() >= want:
                    return time.monotonic() - since
            time.sleep(0.5)
        raise SystemExit(f"not caught up after {timeout_s} s: {sql}")
    finally:
        engine.dispose()


def report(r: dict, args) -> str:
    worst = max(r["caught"].values())
    ratio = worst / r["outage"]
    rows = "\n".join(
        f"| {service} | {seconds:.1f} s | {seconds / r['outage']:.3f} |"
        for service, seconds in r["caught"].items()
    )
    return f"""
## Catch-up after a broker outage

Machine: {machine.describe()}. The 1-minute load average went {r["load"]} during the run.

Command: `{machine.command()}`

The whole system on fresh PostgreSQL databases and its own embedded broker; {r["sent"]}
dossiers of registered units sent at {args.rate:.0f} requests/s while the broker was down
({r["outage"]:.0f} s; {r["ok"]} answered 201), then the broker started again — empty, being the
embedded one, so the relays published their whole log again. Time from its start until each
projection showed every dossier:

| projection | caught up after | / outage |
|---|---|---|
{rows}

**Ratio (slowest projection) / outage: {ratio:.3f}** (target ≤ {TARGET}:
{"met" if ratio <= TARGET else "NOT met"}).
"""


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="bench.catchup", description=__doc__.splitlines()[0])
    p.add_argument("--rate", type=float, default=50)
    p.add_argument("--outage", type=float, default=600, help="seconds the broker is down")
    args = p.parse_args(argv)
    with databases("catchup", WORKERS) as urls:
        work = Path(tempfile.mkdtemp(prefix="antt-bench-catchup-"))
        results = measure(work, urls, args)
    text = report(results, args)
    print(text)
    machine.write_section("catchup", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
