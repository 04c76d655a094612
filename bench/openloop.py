"""An open-loop constant-rate load generator: latency counts from the SCHEDULED send time."""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from urllib.parse import urlsplit


def post(url: str, body: bytes, token: str) -> int:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        conn.request("POST", parts.path, body, headers)
        answer = conn.getresponse()
        answer.read()
        return answer.status
    finally:
        conn.close()


def run(url: str, bodies: list[bytes], token: str, rate: float, threads: int = 32, on_done=None):
    """Send bodies[i] at start + i/rate. Returns [(i, status, latency s)], latency measured from
    the scheduled time, so time spent waiting for a free sender (queueing) counts.
    `on_done(i, status, monotonic time)` is called as each answer arrives."""
    results, lock, order = [], threading.Lock(), itertools.count()
    start = time.monotonic() + 0.5

    def sender():
        while True:
            i = next(order)
            if i >= len(bodies):
                return
            due = start + i / rate
            time.sleep(max(0.0, due - time.monotonic()))
            try:
                status = post(url, bodies[i], token)
            except OSError:
                status = 0
            done = time.monotonic()
            if on_done:
                on_done(i, status, done)
            with lock:
                results.append((i, status, done - due))

    workers = [threading.Thread(target=sender, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sorted(results)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
