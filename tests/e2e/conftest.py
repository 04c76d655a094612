"""The whole system as real processes on PostgreSQL and a real broker of its own."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from shared.auth import mint_token
from shared.broker import EmbeddedBroker, free_port
from shared.config import DEV_JWT_SECRET
from shared.stack import WORKERS, Stack
from tests.e2e.client import call

SERVICES = tuple(WORKERS)
# Every process's clock starts here: the dossier window of 2026 is open.
E2E_CLOCK = "2026-11-20T09:00:00+07:00"


class System:
    def __init__(self, stack: Stack, broker: EmbeddedBroker, urls: dict[str, str]):
        self.stack, self.broker, self.urls = stack, broker, urls
        self.engines = {s: sa.create_engine(u) for s, u in urls.items()}
        self.tokens = {
            role: mint_token(DEV_JWT_SECRET, role, sub, None, jurisdiction)
            for role, sub, jurisdiction in (
                ("admin", "admin-e2e", "nha-trang"),
                ("reviewer", "reviewer-e2e", "nha-trang"),
                ("approver", "approver-e2e", "nha-trang"),
                ("auditor", "auditor-e2e", "khanh-hoa"),
            )
        }

    def unit_token(self, unit_id: str) -> str:
        return mint_token(DEV_JWT_SECRET, "unit", f"user-{unit_id}", unit_id)

    def api(
        self,
        service: str,
        method: str,
        path: str,
        role: str | None = None,
        body=None,
        token: str | None = None,
    ):
        token = token or (self.tokens[role] if role else None)
        return call(method, f"{self.stack.url(service)}/api/v1{path}", token, body)

    def scalar(self, service: str, sql: str, **params):
        with self.engines[service].connect() as conn:
            return conn.execute(sa.text(sql), params).scalar()


@pytest.fixture(scope="module")
def system(pg, tmp_path_factory):
    broker = EmbeddedBroker(free_port(), tmp_path_factory.mktemp("e2e") / "broker.log").start()
    urls = {s: pg.new(f"e2e_{s}") for s in SERVICES}
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        "ANTT_CLOCK": E2E_CLOCK,
        "ANTT_RELAY_PROBE_INTERVAL_S": "1",
        **{f"ANTT_{s.upper()}_DATABASE_URL": url for s, url in urls.items()},
    }
    ports = {s: free_port() for s in SERVICES}
    # As `make run`: the development identity provider beside HS256 (its port a free one).
    stack = Stack(
        tmp_path_factory.mktemp("var"),
        env=env,
        ports=ports,
        api_workers=1,
        dev_identity_provider=True,
    )
    system = None
    try:
        stack.start()
        system = System(stack, broker, urls)
        yield system
    finally:
        stack.stop()
        broker.stop()
        for engine in system.engines.values() if system else ():
            engine.dispose()
