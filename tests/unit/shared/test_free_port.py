"""Ports for the servers a run or a test starts: free, never handed out twice, out of the way."""

from __future__ import annotations

import socket

from shared.broker import LOWEST_PORT, bindable, ephemeral_range, free_port


def test_ports_handed_out_are_free_distinct_and_below_the_ephemeral_range():
    ports = [free_port() for _ in range(300)]
    assert len(set(ports)) == len(ports)
    assert all(LOWEST_PORT <= port < ephemeral_range()[0] for port in ports)
    assert all(bindable(port) for port in ports)


def test_a_port_something_listens_on_is_not_bindable():
    with socket.socket() as server:
        server.bind(("127.0.0.1", free_port()))
        server.listen()
        assert not bindable(server.getsockname()[1])


def test_the_ephemeral_range_is_the_kernels_or_linuxs_default():
    low, high = ephemeral_range()
    assert 1024 <= low < high <= 65535
