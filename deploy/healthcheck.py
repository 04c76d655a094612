"""Container health checks: an API answers /healthz; a worker reaches its database and broker."""

from __future__ import annotations

import os
import socket
import sys
import urllib.request

from shared.config import DEFAULT_PORTS, Settings


def api_answers(service: str) -> bool:
    port = os.environ.get(f"ANTT_{service.upper()}_PORT") or DEFAULT_PORTS[service]
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as resp:
            return resp.status == 200
    except OSError:
        return False


def database_answers(settings: Settings) -> bool:
    import sqlalchemy as sa

    engine = sa.create_engine(settings.database_url, pool_pre_ping=False)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def some_broker_answers(bootstrap: str) -> bool:
    # One live broker is enough: the cluster tolerates a node down, and so should the worker.
    for server in bootstrap.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=3):
                return True
        except OSError:
            continue
    return False


def worker_healthy(service: str) -> bool:
    settings = Settings.from_env(service)
    return database_answers(settings) and some_broker_answers(settings.kafka_bootstrap_servers)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("api", "worker") or argv[1] not in DEFAULT_PORTS:
        print("usage: healthcheck.py api|worker <service>", file=sys.stderr)
        return 2
    kind, service = argv
    healthy = api_answers(service) if kind == "api" else worker_healthy(service)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
