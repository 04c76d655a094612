"""Portal figure: the reviewer queue and the report page under 20 concurrent users, each as a
ratio to calling the same API directly in the same run.

    .venv/bin/python -m bench.portal [--units 200] [--users 20] [--seconds 10]

One stack (broker, PostgreSQL, the four services and the portal) with `--units` registered
units; then, in turn, `--users` closed-loop clients for `--seconds` each on: the portal's queue
page (`/tham-dinh`, a reviewer's session) and review's `GET /cases` it is built on; the portal's
report page (`/bao-cao`) and reporting's `GET /reports/{year}`. Same client, same machine, so the
ratio is what the portal adds (a second HTTP hop, HTML, sorting) to the API's own work.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench import dossiers, machine
from bench.latency import wait_for
from bench.servers import databases
from shared.auth import mint_token
from shared.broker import EmbeddedBroker, free_port
from shared.config import DEV_JWT_SECRET
from shared.stack import WORKERS, Stack

APIS = tuple(s for s in WORKERS if s != "portal")
YEAR = 2026
REVIEWER = mint_token(DEV_JWT_SECRET, "reviewer", "reviewer-nt", None, "nha-trang")


def session_cookie(portal: str) -> str:
    """Sign in as the demo reviewer the way a browser does; the session cookie's header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{portal}/dang-nhap", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    form = urllib.parse.urlencode({"account": "reviewer", "csrf_token": token}).encode()
    opener.open(f"{portal}/dang-nhap", data=form, timeout=10).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def load(url: str, headers: dict, users: int, seconds: float) -> dict:
    """`users` clients, each sending the next request as soon as the last one answered."""
    times: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def user():
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                req = urllib.request.Request(url, headers=headers)
                with urllib.request.urlopen(req, timeout=30) as resp:
                    resp.read()
                    ok = resp.status == 200
            except OSError:
                ok = False
            with lock:
                if ok:
                    times.append(time.perf_counter() - started)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=user) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cuts = statistics.quantiles(times, n=100) if len(times) > 1 else [0] * 99
    return {
        "rate": len(times) / seconds,
        "p50": cuts[49] * 1000,
        "p99": cuts[98] * 1000,
        "errors": errors[0],
    }


def measure(work: Path, urls: dict, args) -> dict:
    broker = EmbeddedBroker(free_port(), work / "broker.log").start()
    env = {"KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap, "ANTT_CLOCK": dossiers.CLOCK}
    env |= {f"ANTT_{s.upper()}_DATABASE_URL": u for s, u in urls.items()}
    stack = Stack(work / "var", env=env, ports={s: free_port() for s in WORKERS})
    try:
        stack.start()
        dossiers.prepare(stack.url("registration"), args.units)
        wait_for(
            urls["review"],
            "SELECT count(*) FROM case_timeline WHERE event_type = 'UnitRegistered'",
            lambda n: n >= args.units,
        )
        wait_for(
            urls["reporting"],
            f"SELECT count(*) FROM unit_years WHERE year = {YEAR}",
            lambda n: n >= args.units,
        )
        portal = stack.url("portal")
        browser = {"Cookie": session_cookie(portal)}
        bearer = {"Authorization": f"Bearer {REVIEWER}"}
        pairs = {
            "reviewer queue": (
                (f"{portal}/tham-dinh?nam={YEAR}&status=registered", browser),
                (f"{stack.url('review')}/api/v1/cases?year={YEAR}&status=registered", bearer),
            ),
            "report": (
                (f"{portal}/bao-cao?nam={YEAR}", browser),
                (f"{stack.url('reporting')}/api/v1/reports/{YEAR}", bearer),
            ),
        }
        return {
            name: {
                "portal": load(*page, args.users, args.seconds),
                "api": load(*api, args.users, args.seconds),
            }
            for name, (page, api) in pairs.items()
        }
    finally:
        stack.stop()
        broker.stop()


def report(results: dict, args) -> str:
    lines = [
        "## Portal pages against their APIs (bench/portal.py)",
        "",
        f"{machine.describe()}; load average {machine.load()} before the run.",
        f"`{machine.command()}`: {args.units} registered units, {args.users} concurrent users, "
        f"{args.seconds:g} s per side, closed loop, the same Python client for both sides.",
        "",
        "| page | portal req/s | API req/s | ratio | portal p50 / p99 ms | API p50 / p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        p, a = r["portal"], r["api"]
        ratio = p["rate"] / a["rate"] if a["rate"] else 0
        lines.append(
            f"| {name} | {p['rate']:.1f} | {a['rate']:.1f} | {ratio:.2f} | "
            f"{p['p50']:.0f} / {p['p99']:.0f} | {a['p50']:.0f} / {a['p99']:.0f} |"
            + (f" ({p['errors']} / {a['errors']} errors)" if p["errors"] or a["errors"] else "")
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="bench.portal", description=__doc__.splitlines()[0])
    p.add_argument("--units", type=int, default=200)
    p.add_argument("--users", type=int, default=20)
    p.add_argument("--seconds", type=float, default=10)
    args = p.parse_args(argv)
    with databases("portal", APIS) as urls:
        work = Path(tempfile.mkdtemp(prefix="antt-bench-portal-"))
        results = measure(work, urls, args)
    text = report(results, args)
    print(text)
    machine.write_section("portal", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
