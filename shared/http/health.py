"""/healthz, /readyz and /metrics for every API."""

from __future__ import annotations

import logging
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, current_app
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from shared.persistence.tables import consumer_progress, outbox, parked

log = logging.getLogger(__name__)
blueprint = Blueprint("health", __name__)

# What /readyz says when a probe fails: a short code and a sentence, never the exception's text
# (it can name hosts, users or SQL); the detail goes to the log.
FAILURES = {
    "database": ("database_unreachable", "Không kết nối được cơ sở dữ liệu."),
    "broker": ("broker_unreachable", "Không kết nối được broker Kafka nào."),
    "consumers": ("consumers_unknown", "Không đọc được tiến độ của consumer."),
    "parked": ("parked_unknown", "Không đọc được số sự kiện bị tạm giữ (parked)."),
}


class NotReady(Exception):
    """A probe that ran and found the service not ready: a reason code and safe figures."""

    def __init__(self, reason: str, message: str, **figures):
        super().__init__(message)
        self.reason, self.message, self.figures = reason, message, figures


@blueprint.get("/healthz")
def healthz():
    return {"status": "ok", "service": current_app.config["ANTT_SETTINGS"].service}


@blueprint.get("/readyz")
def readyz():
    checks = readiness(current_app.config["ANTT_ENGINE"], current_app.config["ANTT_SETTINGS"])
    ok = all(c["ok"] for c in checks.values())
    return {"ready": ok, "checks": checks}, 200 if ok else 503


@blueprint.get("/metrics")
def metrics():
    registry = current_app.config["ANTT_METRICS"]
    return generate_latest(registry), 200, {"Content-Type": CONTENT_TYPE_LATEST}


def readiness(engine, settings) -> dict:
    return {
        "database": _check("database", lambda: _ping(engine)),
        "broker": _check("broker", lambda: _broker_reachable(settings.kafka_bootstrap_servers)),
        "consumers": _check("consumers", lambda: _caught_up(engine, settings)),
        "parked": _check("parked", lambda: _parked_summary(engine)),
    }


def _parked_summary(engine) -> dict:
    """What the consumers could not apply, by kind: it does not make the service unready (the
    rest flows on), but an operator reading /readyz should see it (`antt parked list`)."""
    with engine.connect() as conn:
        rows = conn.execute(_PARKED_BY_KIND).all()
    parked_by_kind = {r.kind: r.n for r in rows if r.status == "parked"}
    return {
        "parked": sum(parked_by_kind.values()),
        "skipped": sum(r.n for r in rows if r.status == "skipped"),
        "parked_by_kind": parked_by_kind,
    }


def _check(name: str, probe) -> dict:
    try:
        detail = probe()
        return {"ok": True, **(detail or {})}
    except NotReady as err:
        return {"ok": False, "reason": err.reason, "message": err.message, **err.figures}
    except Exception as err:  # a readiness probe reports every failure, whatever its kind
        log.warning("readiness check %s failed: %s", name, err, exc_info=True)
        reason, message = FAILURES[name]
        return {"ok": False, "reason": reason, "message": message}


def _ping(engine) -> None:
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))


def _broker_reachable(bootstrap: str) -> dict:
    """Ready when any listed broker answers: a cluster works on with one broker down."""
    errors = []
    for address in bootstrap.split(","):
        host, _, port = address.strip().rpartition(":")
        try:
            with socket.create_connection((host or "127.0.0.1", int(port)), timeout=1.0):
                return {"answered": address.strip()}
        except OSError as err:
            errors.append(f"{address.strip()}: {err}")
    raise ConnectionError("no broker answers: " + "; ".join(errors))


def _caught_up(engine, settings) -> dict:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(consumer_progress)).all()
    if not rows:
        return {"lag": 0, "note": "no consumer has reported yet"}
    lag = sum(max(r.highwater - r.position, 0) for r in rows)
    stale = [r for r in rows if _age(r.updated_at) > timedelta(seconds=30)]
    if lag or stale:
        raise NotReady(
            "consumers_behind",
            "Consumer chưa đọc kịp các sự kiện mới.",
            lag=lag,
            silent_partitions=len(stale),
        )
    return {"lag": 0}


def _age(iso: str) -> timedelta:
    return datetime.now(datetime.fromisoformat(iso).tzinfo) - datetime.fromisoformat(iso)


class KernelCollector:
    """Outbox backlog, parked events and consumer lag, read from the database at scrape time."""

    def __init__(self, engine, service: str):
        self.engine, self.service = engine, service

    def collect(self):
        with self.engine.connect() as conn:
            backlog = conn.execute(
                sa.select(sa.func.count()).where(outbox.c.published_at.is_(None))
            ).scalar()
            by_kind = conn.execute(_PARKED_BY_KIND).all()
            lag = conn.execute(
                sa.select(
                    sa.func.coalesce(
                        sa.func.sum(consumer_progress.c.highwater - consumer_progress.c.position), 0
                    )
                )
            ).scalar()
        for name, doc, value in (
            ("antt_outbox_backlog", "Events committed but not yet published", backlog),
            ("antt_consumer_lag", "Records not yet consumed", lag),
        ):
            family = GaugeMetricFamily(name, doc, labels=["service"])
            family.add_metric([self.service], float(value or 0))
            yield family
        yield self._parked(by_kind)

    def _parked(self, by_kind) -> GaugeMetricFamily:
        """Parked records (status parked) and skipped ones (unknown types), by kind of problem;
        a parked total of zero is always there, so an alert rule has a series to read."""
        family = GaugeMetricFamily(
            "antt_parked_events",
            "Records a consumer parked for an operator (or skipped), by kind and status",
            labels=["service", "kind", "status"],
        )
        if not any(row.status == "parked" for row in by_kind):
            family.add_metric([self.service, "none", "parked"], 0.0)
        for row in by_kind:
            family.add_metric([self.service, row.kind, row.status], float(row.n))
        return family


_PARKED_BY_KIND = (
    sa.select(parked.c.kind, parked.c.status, sa.func.count().label("n"))
    .where(parked.c.status.in_(("parked", "skipped")))
    .group_by(parked.c.kind, parked.c.status)
)


def metrics_registry(engine, service: str) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(KernelCollector(engine, service))
    return registry
