"""Command throughput: POST /api/v1/dossiers on gunicorn + PostgreSQL against a bare Flask app.

    .venv/bin/python -m bench.commands [--duration 10] [--rounds 2] [--units 7000]

All run under gunicorn with the same 2 sync workers and flags, side by side in one run (the
third side, bare Flask + one synchronous INSERT per request, shows what persisting anything
at all costs on the machine):
  1. peak: wrk (closed loop, 2 threads, 16 connections), the three sides in turn for a few
     rounds, one distinct registered unit per request for the registration API (a unit files
     one dossier a year);
  2. latency at half of the registration API's peak: an open-loop constant-rate generator
     (bench/openloop.py), latency counted from each request's scheduled send time.
The registration API gets a throw-away PostgreSQL database (dropped at the end).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

from bench import bare_db_app, dossiers, machine, openloop
from bench.ceilings import pg_commits
from bench.servers import WRK_CONNECTIONS, WRK_THREADS, databases, gunicorn, wrk
from shared.broker import free_port


def at_half(url: str, template: str, first: int, rate: float, seconds: float) -> dict:
    count = max(1, int(rate * seconds))
    bodies = [
        template.replace(dossiers.PLACEHOLDER, dossiers.unit_id(n)).encode()
        for n in range(first, first + count)
    ]
    results = openloop.run(f"{url}/api/v1/dossiers", bodies, dossiers.ADMIN, rate)
    latencies = [lat for _, status, lat in results if status == 201]
    return {
        "sent": len(results),
        "ok": len(latencies),
        "p50": openloop.percentile(latencies, 50) * 1000,
        "p99": openloop.percentile(latencies, 99) * 1000,
    }


def measure(work: Path, db_url: str, args) -> dict:
    env = {"ANTT_REGISTRATION_DATABASE_URL": db_url, "ANTT_CLOCK": dossiers.CLOCK}
    env |= {"ANTT_VAR_DIR": str(work), "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"}
    procs, ports = [], (free_port(), free_port(), free_port())
    api, bare, bare_db = (f"http://127.0.0.1:{p}" for p in ports)
    bare_db_app.create_table(db_url)
    try:
        procs.append(
            gunicorn(
                "services.registration.entrypoints.api:create_app()",
                ports[0],
                env,
                work / "registration-api.log",
            )
        )
        procs.append(gunicorn("bench.bare_app:create_app()", ports[1], env, work / "bare.log"))
        db_env = env | {"ANTT_BENCH_DATABASE_URL": db_url}
        procs.append(
            gunicorn("bench.bare_db_app:create_app()", ports[2], db_env, work / "bare-db.log")
        )
        print(f"registering {args.units} units …", flush=True)
        hashes = dossiers.prepare(api, args.units)
        template = dossiers.dossier_template(hashes)
        (work / "body.json").write_text(template)
        load_before = machine.load()
        rounds, first, registered = [], 0, args.units
        for _ in range(args.rounds):  # side by side, in turn: the machine's mood hits both
            if rounds:  # enough fresh units for a round as fast as the last one, and a margin
                want = first + int(rounds[-1][0]["rate"] * args.duration * 1.5) + 500
                if want > registered:
                    print(f"registering {want - registered} more units …", flush=True)
                    dossiers.prepare(api, want - registered, first=registered, hashes=hashes)
                    registered = want
            peak_api = wrk(api, first, work / "body.json", args.duration)
            peak_bare = wrk(bare, 0, work / "body.json", args.duration)
            peak_db = wrk(bare_db, 0, work / "body.json", args.duration)
            commits = pg_commits(db_url)
            print(peak_api["raw"], peak_bare["raw"], peak_db["raw"], f"{commits:.0f} commits/s")
            rounds.append((peak_api, peak_bare, commits, peak_db))
            # wrk's threads take every other unit and stop unevenly: leave a margin.
            first += int(peak_api["requests"] * 1.2) + 50
        if first > registered:
            print("warning: wrk may have run out of registered units", flush=True)
        half = sum(r[0]["rate"] for r in rounds) / len(rounds) / 2
        need = math.ceil(half * args.half_duration)
        print(f"registering {need} more units for the half-rate run …", flush=True)
        dossiers.prepare(api, need, first=registered, hashes=hashes)
        half_api = at_half(api, template, registered, half, args.half_duration)
        half_bare = at_half(bare, template, registered, half, args.half_duration)
        return {
            "rounds": rounds,
            "half": half,
            "half_api": half_api,
            "half_bare": half_bare,
            "load": f"{load_before} → {machine.load()}",
        }
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(30)


def report(r: dict, args) -> str:
    ha, hb = r["half_api"], r["half_bare"]
    rows = []
    for n, (api, bare, commits, bare_db) in enumerate(r["rounds"], start=1):
        sides = (
            (f"{n}: registration API", api),
            (f"{n}: bare Flask", bare),
            (f"{n}: bare Flask + one INSERT", bare_db),
        )
        for label, w in sides:
            rows.append(
                f"| {label} | {w['requests']} | {w['non_2xx']} | {w['rate']:.0f} | "
                f"{w['p50']} | {w['p99']} |"
            )
        rows.append(f"| {n}: **ratio** API / bare | | | **{api['rate'] / bare['rate']:.2f}** | | |")
        rows.append(
            f"| {n}: ratio bare + INSERT / bare | | | {bare_db['rate'] / bare['rate']:.2f} | | |"
        )
        rows.append(f"| {n}: PostgreSQL, one connection | {commits:.0f} commits/s | | | | |")
    ratio = _ratio(r["rounds"], 0, 1)
    floor = _ratio(r["rounds"], 3, 1)
    body_bytes = len(dossiers.dossier_template(dict.fromkeys(dossiers.DOSSIER_KINDS, "0" * 64)))
    table = "\n".join(rows)
    return f"""
## Command throughput: `POST /api/v1/dossiers` against a bare Flask + gunicorn endpoint

Machine: {machine.describe()}. The 1-minute load average went {r["load"]} during the run
(the benchmark's own processes included; anything else sharing the machine or PostgreSQL shows
there). Compare the ratios (both sides measured in turn, in the same run), not the absolutes.

Command: `{machine.command()}`

All three under gunicorn, 2 sync workers, access log on (as `shared.stack` starts an API). The
registration API on a fresh PostgreSQL database (127.0.0.1), `ANTT_CLOCK={dossiers.CLOCK}`,
one distinct registered unit per request (3 cited documents, {len(dossiers.criteria())}
self-assessment lines; body about {body_bytes} bytes). The bare app parses the same JSON and
answers 201 with a small JSON body.

Peak: wrk 4.1, {WRK_THREADS} threads, {WRK_CONNECTIONS} connections, {args.duration} s a run,
the three sides in turn, {args.rounds} rounds. After each round, a second ceiling: synchronous
commits per second of one PostgreSQL connection (a one-row INSERT each, same database) — the
event store serialises a service's appends until commit, so the API's peak cannot pass it,
and it moves with whatever else the shared PostgreSQL is doing.

| round: side | requests | non-2xx | requests/s | wrk p50 | wrk p99 |
|---|---|---|---|---|---|
{table}

**Ratio registration / bare over all rounds: {ratio:.2f}** (target ≥ 0.35:
{"met" if ratio >= 0.35 else "NOT met"}).

A third side shows what the database alone costs here: the bare app plus one synchronous
INSERT of the body per request (bench/bare_db_app.py, the services' engine settings) reaches
**{floor:.2f}** of the bare app; the registration API reaches {ratio / floor:.2f} of that.

Latency at half of the registration API's mean peak ({r["half"]:.0f} requests/s, open loop,
{args.half_duration:.0f} s, measured from each request's scheduled send time;
bench/openloop.py):

| | sent | 201 | p50 | p99 |
|---|---|---|---|---|
| registration API | {ha["sent"]} | {ha["ok"]} | {ha["p50"]:.1f} ms | {ha["p99"]:.1f} ms |
| bare Flask, same rate | {hb["sent"]} | {hb["ok"]} | {hb["p50"]:.1f} ms | {hb["p99"]:.1f} ms |
"""


def _ratio(rounds, side: int, of: int) -> float:
    return sum(r[side]["rate"] for r in rounds) / sum(r[of]["rate"] for r in rounds)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="bench.commands", description=__doc__.splitlines()[0])
    p.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    p.add_argument("--half-duration", type=float, default=15, help="seconds at half the peak")
    p.add_argument("--rounds", type=int, default=2, help="peak runs of each side, in turn")
    p.add_argument("--units", type=int, default=7000, help="units registered for the peak runs")
    args = p.parse_args(argv)
    with databases("commands", ["registration"]) as urls:
        work = Path(tempfile.mkdtemp(prefix="antt-bench-commands-"))
        results = measure(work, urls["registration"], args)
    text = report(results, args)
    print(text)
    machine.write_section("commands", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
