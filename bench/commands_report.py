"""The command benchmark's section of RESULTS.md, from the figures bench.commands measured."""

from __future__ import annotations

import os

from bench import commands_profile, dossiers, machine
from bench.servers import WRK_CONNECTIONS, WRK_THREADS

TARGET = 0.35  # the first speed issue's target against bare Flask (withdrawn; kept for the budget)
# The targets that replaced it: antt against a peer, and against the driver's floor.
PEER_TARGET, DRIVER_TARGET = 1.5, 0.5
# The sides of the peak runs, in the order they run: label, gunicorn app.
SIDES = (
    ("registration API", "services.registration.entrypoints.api:create_app()"),
    ("bare Flask", "bench.bare_app:create_app()"),
    ("bare Flask + one INSERT", "bench.bare_db_app:create_app()"),
    ("bare Flask + psycopg read and write", "bench.bare_db_app:create_driver_app()"),
    ("eventsourcing 9.5 peer", "bench.peer_app:create_app()"),
)
LABELS = tuple(label for label, _ in SIDES)
API, BARE, BARE_DB, DRIVER, PEER = range(len(SIDES))
# Sides that need a fresh unit per request (the others ignore the unit they are sent).
FRESH_UNITS = (API, PEER)
HEADER = (
    "| round: side | requests | non-2xx | requests/s | wrk p50 | wrk p99 "
    "| workers CPU ms/request | PostgreSQL CPU ms/request |\n|---|---|---|---|---|---|---|---|"
)


def ratio(rounds: list, side: int, of: int = BARE) -> float:
    """Requests/s of `side` over those of `of`, summed over the rounds."""
    return sum(r["peaks"][side]["rate"] for r in rounds) / sum(
        r["peaks"][of]["rate"] for r in rounds
    )


def cpu_ms(rounds: list, side: int, kind: str) -> float:
    """Mean CPU milliseconds per request of `side` spent by `kind` (workers or postgres)."""
    return sum(r["peaks"][side]["cpu_ms"][kind] for r in rounds) / len(rounds)


def _rows(rounds: list) -> str:
    rows = []
    for n, r in enumerate(rounds, start=1):
        for label, w in zip(LABELS, r["peaks"], strict=True):
            cpu = w["cpu_ms"]
            rows.append(
                f"| {n}: {label} | {w['requests']} | {w['non_2xx']} | {w['rate']:.0f} | "
                f"{w['p50']} | {w['p99']} | {cpu['workers']:.2f} | {cpu['postgres']:.2f} |"
            )
        api, bare = r["peaks"][API]["rate"], r["peaks"][BARE]["rate"]
        rows.append(f"| {n}: **ratio** API / bare | | | **{api / bare:.2f}** | | | | |")
        for side in (BARE_DB, DRIVER, PEER):
            rate = r["peaks"][side]["rate"]
            rows.append(f"| {n}: ratio {LABELS[side]} / bare | | | {rate / bare:.2f} | | | | |")
        rows.append(f"| {n}: PostgreSQL, one connection | {r['commits']:.0f} commits/s |||||||")
    return "\n".join(rows)


def _budget(rounds: list) -> str:
    """What the target leaves per request, against what the API and the floors spend."""
    bare = sum(r["peaks"][BARE]["rate"] for r in rounds) / len(rounds)
    cores = os.cpu_count() or 1
    budget = cores * 1000 / (TARGET * bare)
    spent = {
        side: cpu_ms(rounds, side, "workers") + cpu_ms(rounds, side, "postgres")
        for side in (API, BARE, BARE_DB, DRIVER, PEER)
    }
    return f"""Where a request's CPU goes (gunicorn workers + PostgreSQL, from /proc, mean of the
rounds): at {TARGET} of the bare app's mean peak ({bare:.0f} requests/s) on {cores} CPUs, a
request may cost at most **{budget:.2f} ms** of CPU in all, load generator included. The bare
app itself spends {spent[BARE]:.2f} ms of it; one read and one write through the driver
{spent[DRIVER]:.2f} ms; one INSERT through the services' engine {spent[BARE_DB]:.2f} ms; the
registration API **{spent[API]:.2f} ms** ({cpu_ms(rounds, API, "workers"):.2f} ms in its
workers, {cpu_ms(rounds, API, "postgres"):.2f} ms in PostgreSQL); the eventsourcing peer
{spent[PEER]:.2f} ms."""


def report(r: dict, args) -> str:
    rounds, ha, hb = r["rounds"], r["half_api"], r["half_bare"]
    api_ratio, floor, driver = ratio(rounds, API), ratio(rounds, BARE_DB), ratio(rounds, DRIVER)
    over_peer, over_driver = ratio(rounds, API, PEER), ratio(rounds, API, DRIVER)
    body_bytes = len(dossiers.dossier_template(dict.fromkeys(dossiers.DOSSIER_KINDS, "0" * 64)))
    return f"""
## Command throughput: `POST /api/v1/dossiers` against a bare Flask + gunicorn endpoint

Machine: {machine.describe()}. The 1-minute load average went {r["load"]} during the run
(the benchmark's own processes included; anything else sharing the machine or PostgreSQL shows
there). Compare the ratios (all sides measured in turn, in the same run), not the absolutes.

Command: `{machine.command()}`

All five under gunicorn, 2 sync workers, access log on (as `shared.stack` starts an API). The
registration API on a fresh PostgreSQL database (127.0.0.1), `ANTT_CLOCK={dossiers.CLOCK}`,
one distinct registered unit per request (3 cited documents, {len(dossiers.criteria())}
self-assessment lines; body about {body_bytes} bytes). The bare app parses the same JSON and
answers 201 with a small JSON body; the two other sides are the bare app plus the least a
kept command costs (bench/bare_db_app.py): one INSERT of the body in a transaction through the
services' engine settings, and one read and one write through psycopg itself (no SQLAlchemy,
no transaction block, prepared statements), each committed synchronously.

Peak: wrk 4.1, {WRK_THREADS} threads, {WRK_CONNECTIONS} connections, {args.duration} s a run,
the sides in turn, {args.rounds} rounds; CPU per request of the side's gunicorn (arbiter and
workers) and of every PostgreSQL process, from /proc, over the run. After each round, a
second ceiling: synchronous commits per second of one PostgreSQL connection (a one-row INSERT
each, same database) — the event store serialises a service's appends until commit, so the
API's peak cannot pass it, and it moves with whatever else the shared PostgreSQL is doing.

{HEADER}
{_rows(rounds)}

**Registration API against its peer over all rounds: {over_peer:.2f}×** the throughput of the
same use case on the eventsourcing library (bench/peer_app.py; target ≥ {PEER_TARGET}:
{"met" if over_peer >= PEER_TARGET else "NOT met"}). **Against the driver's floor (bare Flask +
one read and one write through psycopg): {over_driver:.2f}** (target ≥ {DRIVER_TARGET}:
{"met" if over_driver >= DRIVER_TARGET else "NOT met"}). Against bare Flask: {api_ratio:.2f}
(the first issue's 0.35 is withdrawn).

The floors: the bare app plus one synchronous INSERT through the services' engine reaches
**{floor:.2f}** of the bare app (the registration API reaches {api_ratio / floor:.2f} of that);
plus one read and one write through the driver itself, **{driver:.2f}**.

{_budget(rounds)}

{commands_profile.text(r.get("profiled"))}

Latency at half of the registration API's mean peak ({r["half"]:.0f} requests/s, open loop,
{args.half_duration:.0f} s, measured from each request's scheduled send time;
bench/openloop.py):

| | sent | 201 | p50 | p99 |
|---|---|---|---|---|
| registration API | {ha["sent"]} | {ha["ok"]} | {ha["p50"]:.1f} ms | {ha["p99"]:.1f} ms |
| bare Flask, same rate | {hb["sent"]} | {hb["ok"]} | {hb["p50"]:.1f} ms | {hb["p99"]:.1f} ms |
"""
