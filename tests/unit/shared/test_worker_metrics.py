"""A worker serves its counters on ANTT_WORKER_METRICS_PORT, and nothing when it is unset."""

from __future__ import annotations

import urllib.request

from shared.broker import free_port
from shared.observability.metrics import MAILS, serve_worker_metrics


def test_a_worker_serves_its_counters_on_the_configured_port():
    port = free_port()
    MAILS.labels("failed").inc()
    assert serve_worker_metrics("sender", {"ANTT_WORKER_METRICS_PORT": str(port)}) == port
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        text = r.read().decode()
    assert 'antt_mails_total{result="failed"}' in text


def test_without_a_port_or_in_an_api_nothing_is_served():
    assert serve_worker_metrics("relay", {}) is None
    assert serve_worker_metrics("api", {"ANTT_WORKER_METRICS_PORT": "9100"}) is None
