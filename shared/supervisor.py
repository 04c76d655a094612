"""Keeps a stack's processes running: one that exits is started again after a growing delay."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, start_http_server

log = logging.getLogger("antt.supervisor")


@dataclass(frozen=True)
class Backoff:
    """1 s, 2 s, 4 s … up to `max_s` between restarts of a process that keeps failing; one that
    stayed up `reset_after_s` is counted as healthy again and waits `first_s` next time."""

    first_s: float = 1.0
    max_s: float = 60.0
    reset_after_s: float = 60.0

    def delay(self, failures_in_a_row: int) -> float:
        """The wait before the restart that follows failure number `failures_in_a_row` (1, 2…)."""
        doublings = min(max(failures_in_a_row, 1) - 1, 32)  # 2**32 s is past any maximum
        return min(self.first_s * 2**doublings, self.max_s)


@dataclass
class _Watch:
    """What the supervisor knows of one process: since when it runs, how often it failed."""

    started_at: float
    restarts: int = 0
    failures_in_a_row: int = 0
    due_at: float | None = None  # set while it waits to be started again


def exit_status(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


class Supervisor:
    """Restarts the processes of `processes` (name → Popen, kept up to date by `restart(name)`)
    when they exit; call `tend()` often (every second or so) from the thread that owns them."""

    def __init__(
        self,
        processes: dict,
        restart: Callable[[str], object],
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.processes, self.restart, self.clock = processes, restart, clock
        self.backoff = backoff or Backoff()
        self.registry = CollectorRegistry()
        self.restarts = Counter(
            "antt_process_restarts",
            "Times the supervisor started a process again after it exited.",
            ["process"],
            registry=self.registry,
        )
        self._watches: dict[str, _Watch] = {}
        self._server = None

    def serve_metrics(self, port: int, host: str = "127.0.0.1") -> None:
        """Prometheus text on http://host:port/metrics (0: not served). A port already taken
        is logged: the processes matter more than their restart counts."""
        if not port:
            return
        try:
            self._server, _ = start_http_server(port, host, registry=self.registry)
        except OSError as err:
            log.error("supervisor metrics not served on %s:%s: %s", host, port, err)

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def restart_count(self, name: str) -> int:
        watch = self._watches.get(name)
        return watch.restarts if watch else 0

    def tend(self) -> None:
        """Notice exits and start again those whose delay has passed."""
        now = self.clock()
        for name, proc in list(self.processes.items()):
            watch = self._watches.get(name)
            if watch is None:
                watch = self._watches[name] = _Watch(now)
                self.restarts.labels(process=name)  # exported as 0 from the start
            if watch.due_at is None:
                if proc.poll() is not None:
                    self._exited(name, proc.returncode, watch, now)
            elif now >= watch.due_at:
                self._start_again(name, watch, now)

    def _exited(self, name: str, returncode: int, watch: _Watch, now: float) -> None:
        up_s = now - watch.started_at
        if up_s >= self.backoff.reset_after_s:
            watch.failures_in_a_row = 0
        watch.failures_in_a_row += 1
        delay = self.backoff.delay(watch.failures_in_a_row)
        watch.due_at = now + delay
        log.warning(
            "%s exited (%s) after %.0f s; restart %d in %.0f s",
            name,
            exit_status(returncode),
            up_s,
            self.restart_count(name) + 1,
            delay,
        )

    def _start_again(self, name: str, watch: _Watch, now: float) -> None:
        watch.due_at, watch.started_at = None, now
        try:
            proc = self.restart(name)
        except OSError as err:  # could not even be spawned: counts as one more failure
            log.error("%s could not be started again: %s", name, err)
            watch.failures_in_a_row += 1
            watch.due_at = now + self.backoff.delay(watch.failures_in_a_row)
            return
        watch.restarts += 1
        self.restarts.labels(process=name).inc()
        log.warning("%s restarted (pid %s); restarts so far: %d", name, proc.pid, watch.restarts)
