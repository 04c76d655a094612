"""Command throughput: POST /api/v1/dossiers on gunicorn + PostgreSQL against a bare Flask app.

    .venv/bin/python -m bench.commands [--duration 10] [--rounds 2] [--units 7000]

All run under gunicorn with the same 2 sync workers and flags, side by side in one run (two
more sides show what persisting anything at all costs on the machine: bare Flask + one
synchronous INSERT through the services' engine, and bare Flask + one read and one write
through the driver itself):
  1. peak: wrk (closed loop, 2 threads, 16 connections), the sides in turn for a few rounds,
     one distinct registered unit per request for the registration API (a unit files one
     dossier a year), with the CPU time each request cost the gunicorn workers and PostgreSQL;
  2. latency at half of the registration API's peak: an open-loop constant-rate generator
     (bench/openloop.py), latency counted from each request's scheduled send time;
  3. with --profile, one more peak run of the API with py-spy on one of its workers: the
     worker's samples by step of the command (bench/commands_profile.py).
The registration API gets a throw-away PostgreSQL database (dropped at the end).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

from bench import bare_db_app, commands_profile, dossiers, machine, openloop
from bench.ceilings import pg_commits
from bench.commands_report import API, BARE, FRESH_UNITS, SIDES, report
from bench.servers import databases, gunicorn, wrk
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


def enough_units(rate: float, seconds: float) -> int:
    """Fresh units for a peak run of `seconds` as fast as `rate`, with a margin."""
    return int(rate * seconds * 1.5) + 500


def measure(work: Path, db_url: str, args) -> dict:
    env = {"ANTT_REGISTRATION_DATABASE_URL": db_url, "ANTT_CLOCK": dossiers.CLOCK}
    env |= {"ANTT_VAR_DIR": str(work), "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"}
    env |= {"ANTT_BENCH_DATABASE_URL": db_url}
    servers, urls = [], []
    bare_db_app.create_table(db_url)
    try:
        for n, (_, app) in enumerate(SIDES):
            port = free_port()
            servers.append(gunicorn(app, port, env, work / f"side-{n}.log"))
            urls.append(f"http://127.0.0.1:{port}")
        api = urls[API]
        print(f"registering {args.units} units …", flush=True)
        hashes = dossiers.prepare(api, args.units)
        template = dossiers.dossier_template(hashes)
        body = work / "body.json"
        body.write_text(template)
        load_before = machine.load()
        rounds, first, registered = [], 0, args.units
        for _ in range(args.rounds):  # side by side, in turn: the machine's mood hits both
            if rounds:  # enough fresh units for a round as fast as the last one, and a margin
                want = first + enough_units(rounds[-1]["peaks"][API]["rate"], args.duration)
                if want > registered:
                    print(f"registering {want - registered} more units …", flush=True)
                    dossiers.prepare(api, want - registered, first=registered, hashes=hashes)
                    registered = want
            # The API and the peer need a fresh unit per request; the bare sides ignore theirs.
            peaks = [
                wrk(url, first if n in FRESH_UNITS else 0, body, args.duration, server)
                for n, (url, server) in enumerate(zip(urls, servers, strict=True))
            ]
            commits = pg_commits(db_url)
            print(*(p["raw"] for p in peaks), f"{commits:.0f} commits/s", flush=True)
            rounds.append({"peaks": peaks, "commits": commits})
            # wrk's threads take every other unit and stop unevenly: leave a margin.
            first += int(max(peaks[n]["requests"] for n in FRESH_UNITS) * 1.2) + 50
        if first > registered:
            print("warning: wrk may have run out of registered units", flush=True)
        half = sum(r["peaks"][API]["rate"] for r in rounds) / len(rounds) / 2
        need = math.ceil(half * args.half_duration)
        print(f"registering {need} more units for the half-rate run …", flush=True)
        dossiers.prepare(api, need, first=registered, hashes=hashes)
        half_api = at_half(api, template, registered, half, args.half_duration)
        half_bare = at_half(urls[BARE], template, registered, half, args.half_duration)
        profiled = None
        if args.profile:  # apart from the measured runs: the profiler takes CPU from them
            start, more = registered + need, enough_units(half * 2, args.duration)
            print(f"registering {more} more units for the profiled run …", flush=True)
            dossiers.prepare(api, more, first=start, hashes=hashes)
            out = work / "api-worker.folded"
            profiled = commands_profile.profiled_peak(
                api, start, work / "body.json", args.duration, servers[API], out
            )
        return {
            "rounds": rounds,
            "half": half,
            "half_api": half_api,
            "half_bare": half_bare,
            "profiled": profiled,
            "load": f"{load_before} → {machine.load()}",
        }
    finally:
        for server in servers:
            server.terminate()
            server.wait(30)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="bench.commands", description=__doc__.splitlines()[0])
    p.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    p.add_argument("--half-duration", type=float, default=15, help="seconds at half the peak")
    p.add_argument("--rounds", type=int, default=2, help="peak runs of each side, in turn")
    p.add_argument("--units", type=int, default=7000, help="units registered for the peak runs")
    p.add_argument(
        "--profile", action="store_true", help="one more API run with py-spy on a worker"
    )
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
