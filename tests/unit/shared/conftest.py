"""Fixtures of the kernel's messaging tests: a producer database, a memory broker, a store."""

import pytest

from shared.messaging.memory import InMemoryBroker
from shared.persistence.event_store import EventStore
from tests.unit.shared.test_messaging import CLOCK, TOPIC, make_db


@pytest.fixture
def producer_db(tmp_path):
    return make_db(tmp_path, "producer")


@pytest.fixture
def broker():
    return InMemoryBroker(partitions=3)


@pytest.fixture
def store():
    return EventStore("review", TOPIC, CLOCK)
