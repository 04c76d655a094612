"""Readiness asks the broker cluster, not one broker: any listed broker answering is enough."""

from __future__ import annotations

import socket

import pytest

from shared.broker import free_port
from shared.http.health import _broker_reachable


@pytest.fixture
def listening_port():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_the_broker_counts_as_reachable_when_a_later_listed_broker_answers(listening_port):
    down = free_port()
    detail = _broker_reachable(f"127.0.0.1:{down},127.0.0.1:{listening_port}")
    assert detail == {"answered": f"127.0.0.1:{listening_port}"}


def test_the_broker_is_unreachable_when_no_listed_broker_answers():
    with pytest.raises(ConnectionError, match="no broker answers"):
        _broker_reachable(f"127.0.0.1:{free_port()},127.0.0.1:{free_port()}")
