"""What the worker processes count, and the small HTTP server that lets Prometheus read it.

APIs serve /metrics themselves (shared/http/health.py: requests, outbox backlog, consumer lag,
parked events, read from the database at scrape time). A worker (relay, consumer, sender …)
serves its own counters on ANTT_WORKER_METRICS_PORT when that is set (0 or unset: not served;
deploy/compose.yaml sets it, `make run` does not)."""

from __future__ import annotations

import logging
import os

from prometheus_client import Counter, start_http_server

log = logging.getLogger(__name__)

RECORDS = Counter(
    "antt_consumer_records",
    "Records a consumer took, by outcome (handled, duplicate, ignored, parked)",
    ["consumer", "outcome"],
)
PUBLISHED = Counter("antt_relay_published", "Events the outbox relay published", ["topic"])
MAILS = Counter("antt_mails", "Mail delivery attempts, by result (sent, failed)", ["result"])


def serve_worker_metrics(process: str, env=None) -> int | None:
    """Serve this process's counters on ANTT_WORKER_METRICS_PORT; the port, or None."""
    port = int((env or os.environ).get("ANTT_WORKER_METRICS_PORT") or 0)
    if not port or process == "api":
        return None
    try:
        start_http_server(port)
    except OSError as err:  # another process of the host holds it: counting goes on unserved
        log.warning("%s: metrics not served on port %s: %s", process, port, err)
        return None
    log.info("%s: metrics on port %s", process, port)
    return port
