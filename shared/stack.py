"""Starts the whole system as real processes: broker, four APIs, relays and consumers."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from shared.broker import EmbeddedBroker, free_port
from shared.config import DEFAULT_PORTS
from shared.supervisor import Supervisor

WORKERS = {
    "registration": ("relay", "consumer"),
    "review": ("relay", "consumer"),
    # smtp: the development mail server, first so the sender finds it (skipped for a real one).
    "notification": ("smtp", "relay", "consumer", "sender", "scheduler"),
    "reporting": ("consumer",),
    # The web portal: an API process only, a client of the four above.
    "portal": (),
}


@dataclass
class Stack:
    """The system on this machine; `env` is passed to every process on top of os.environ.

    `supervise`: a process that exits is started again with back-off (`shared/supervisor.py`)
    whenever `tend()` runs, and its restarts are logged to `log/supervisor.log` and served as
    Prometheus metrics on `metrics_port` (0: not served). Unsupervised (the tests that kill
    processes on purpose and start them themselves), `tend()` raises when one has exited.
    """

    var_dir: Path
    env: dict = field(default_factory=dict)
    ports: dict = field(default_factory=lambda: dict(DEFAULT_PORTS))
    api_workers: int = 2
    processes: dict = field(default_factory=dict)
    broker: EmbeddedBroker | None = None
    supervise: bool = False
    metrics_port: int = 0
    supervisor: Supervisor | None = field(default=None, init=False)
    # key → (name, instance) as start_process was called, to start that process again.
    _started: dict = field(default_factory=dict, init=False, repr=False)
    _log_handler: logging.Handler | None = field(default=None, init=False, repr=False)

    def start(self, wait_s: float = 120, stop: threading.Event | None = None) -> Stack:
        """Start everything and wait until every API answers (or `stop` is set meanwhile)."""
        # A shifted clock (ANTT_CLOCK) starts once for the whole stack, not once per process:
        # otherwise two API workers booted a moment apart stamp events out of order.
        self.env.setdefault(
            "ANTT_CLOCK_ANCHOR", os.environ.get("ANTT_CLOCK_ANCHOR") or str(time.time())
        )
        self.var_dir.mkdir(parents=True, exist_ok=True)
        (self.var_dir / "log").mkdir(exist_ok=True)
        if self.supervise:
            self.start_supervisor()
        if not (
            self.env.get("KAFKA_BOOTSTRAP_SERVERS") or os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
        ):
            self.broker = EmbeddedBroker(9092, self.var_dir / "log" / "broker.log").start()
            self.env["KAFKA_BOOTSTRAP_SERVERS"] = self.broker.bootstrap
        dev_smtp = self._use_dev_smtp()
        for service in WORKERS:
            self.start_process(f"{service}-api")
            for kind in WORKERS[service]:
                if kind != "smtp" or dev_smtp:
                    self.start_process(f"{service}-{kind}")
        self.wait_healthy(wait_s, stop)
        return self

    def start_supervisor(self) -> Supervisor:
        """Supervise the processes started so far and from now on (start() calls it)."""
        (self.var_dir / "log").mkdir(parents=True, exist_ok=True)
        self._log_handler = logging.FileHandler(self.var_dir / "log" / "supervisor.log")
        self._log_handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger = logging.getLogger("antt.supervisor")
        logger.addHandler(self._log_handler)
        logger.setLevel(logging.INFO)
        self.supervisor = Supervisor(self.processes, self.restart)
        self.supervisor.serve_metrics(self.metrics_port)
        return self.supervisor

    def tend(self) -> None:
        """Supervised: start again what exited, once its delay is over. Otherwise: raise if a
        process exited."""
        if self.supervisor is not None:
            self.supervisor.tend()
        else:
            self._check_alive()

    def _use_dev_smtp(self) -> bool:
        """Point the notification processes at the development SMTP server unless the caller
        named a real one (ANTT_SMTP_HOST)."""
        given = {**os.environ, **self.env}
        if given.get("ANTT_SMTP_HOST"):
            return False
        self.env["ANTT_SMTP_HOST"] = "127.0.0.1"
        self.env["ANTT_SMTP_PORT"] = given.get("ANTT_SMTP_PORT") or str(free_port())
        return True

    def start_process(self, name: str, instance: int = 1) -> subprocess.Popen:
        """Start `service-kind`; instance 2, 3… of it are kept as `service-kind-2` and so on."""
        service, kind = name.rsplit("-", 1)
        key = name if instance == 1 else f"{name}-{instance}"
        # The child keeps its own copy of the log's descriptor; a restarted one opens it again.
        with open(self.var_dir / "log" / f"{key}.log", "ab") as log:
            self.processes[key] = subprocess.Popen(
                self._command(service, kind),
                env=self._env(service),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._started[key] = (name, instance)
        return self.processes[key]

    def restart(self, key: str) -> subprocess.Popen:
        """Start a process of the stack again under its key (`review-consumer-2`)."""
        return self.start_process(*self._started[key])

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.processes[name]
        os.killpg(proc.pid, sig)
        proc.wait(30)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def wait_healthy(self, wait_s: float, stop: threading.Event | None = None) -> None:
        deadline = time.monotonic() + wait_s
        for service in WORKERS:
            while not _answers(self.url(service) + "/healthz"):
                if stop is not None and stop.is_set():
                    return
                self.tend()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{service} did not start; see {self.var_dir}/log/")
                time.sleep(0.2)

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if self.broker:
            self.broker.stop()
        if self.supervisor is not None:
            self.supervisor.close()
            logging.getLogger("antt.supervisor").removeHandler(self._log_handler)
            self._log_handler.close()

    def _check_alive(self) -> None:
        dead = [n for n, p in self.processes.items() if p.poll() is not None]
        if dead:
            raise RuntimeError(f"process(es) {dead} exited; see {self.var_dir}/log/")

    def _command(self, service: str, kind: str) -> list[str]:
        if kind == "api":
            return [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(self.api_workers),
                "--bind",
                f"127.0.0.1:{self.ports[service]}",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
                "--config",
                "python:shared.observability.gunicorn_hooks",
                f"services.{service}.entrypoints.api:create_app()",
            ]
        return [sys.executable, "-m", f"services.{service}.entrypoints.{kind}"]

    def _env(self, service: str) -> dict:
        env = {**os.environ, **self.env, "ANTT_VAR_DIR": str(self.var_dir)}
        env[f"ANTT_{service.upper()}_PORT"] = str(self.ports[service])
        if service == "portal":
            env.update({f"ANTT_{s.upper()}_URL": self.url(s) for s in WORKERS if s != service})
        return env


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as resp:
            return resp.status == 200
    except OSError:
        return False
