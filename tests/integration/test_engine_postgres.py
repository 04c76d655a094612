"""Pooled PostgreSQL connections that the server closed are replaced before anyone uses them."""

import pytest
import sqlalchemy as sa

from shared.persistence.engine import make_engine
from tests.e2e.client import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def engine(pg_url):
    eng = make_engine(pg_url)
    yield eng
    eng.dispose()


def backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def test_a_pooled_connection_the_server_terminated_is_replaced_without_an_error(engine, pg_url):
    first = backend_pid(engine)
    assert backend_pid(engine) == first, "the pool hands the same connection back"
    admin = sa.create_engine(pg_url)
    with admin.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": first}).scalar()
    admin.dispose()
    # The server's goodbye reaches the pooled connection's socket once the backend is gone.
    wait_for_backend_gone(pg_url, first)
    replaced = backend_pid(engine)  # no OperationalError: the dead connection was not used
    assert replaced != first


def test_a_live_idle_connection_is_kept_across_checkouts(engine):
    pids = {backend_pid(engine) for _ in range(5)}
    assert len(pids) == 1


def wait_for_backend_gone(pg_url: str, pid: int) -> None:
    admin = sa.create_engine(pg_url)

    def gone() -> bool:
        with admin.connect() as conn:
            q = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p")
            return conn.execute(q, {"p": pid}).scalar() == 0

    try:
        wait_until(gone, "the terminated backend to exit")
    finally:
        admin.dispose()
