"""Fixtures: a real broker, fresh PostgreSQL databases, settings and clocks."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from shared.broker import EmbeddedBroker, free_port
from shared.config import Settings

PG_ADMIN_URL = os.environ.get(
    "ANTT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(scope="session")
def broker(tmp_path_factory):
    """One real Kafka-protocol broker for the session (its own port, memory only)."""
    b = EmbeddedBroker(free_port(), tmp_path_factory.mktemp("broker") / "broker.log").start()
    yield b
    b.stop()


@pytest.fixture
def private_broker(tmp_path):
    """A broker for one test that may restart it."""
    b = EmbeddedBroker(free_port(), tmp_path / "broker.log").start()
    yield b
    b.stop()


class PgDatabases:
    """Creates throw-away PostgreSQL databases and drops them at the end."""

    def __init__(self):
        self.admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def new(self, label: str = "t") -> str:
        name = f"antt_{label}_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg():
    dbs = PgDatabases()
    yield dbs
    dbs.drop_all()


@pytest.fixture
def pg_url(pg):
    return pg.new()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.db'}"


def settings_for(service: str, database_url: str, bootstrap: str = "127.0.0.1:1", **kw) -> Settings:
    return Settings(
        service=service, database_url=database_url, kafka_bootstrap_servers=bootstrap, **kw
    )
