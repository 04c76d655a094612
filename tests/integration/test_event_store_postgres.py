"""The event store contract on the real PostgreSQL."""

import pytest

from shared.persistence.engine import create_schema, make_engine
from tests.unit.shared.test_event_store import *  # noqa: F403  (the same contract, re-run)

pytestmark = pytest.mark.integration


@pytest.fixture
def engine(pg_url):  # replaces the SQLite engine of the contract module
    eng = make_engine(pg_url)
    create_schema(eng)
    yield eng
    eng.dispose()
