"""Notification's processes for integration tests: real subprocesses, a real SMTP server, a real
broker, events published exactly as the producers' relays publish them."""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
from pathlib import Path

from shared.broker import free_port, port_open
from shared.clock import Clock
from shared.events import TOPICS
from shared.messaging.kafka import KafkaPublisher
from shared.messaging.ports import Outgoing
from shared.persistence.engine import create_schema, make_engine
from shared.persistence.event_store import Context, EventStore
from tests.e2e.client import wait_until

# Small retry values so that "down for good" is reached in seconds.
FAST = {
    "ANTT_NOTIFY_RETRY_BASE_S": "0.3",
    "ANTT_NOTIFY_RETRY_ATTEMPTS": "4",
    "ANTT_NOTIFY_SENDER_POLL_S": "0.1",
    "ANTT_PUBLIC_URL": "https://antt.example.vn/api/v1",
}


class NotificationProcesses:
    """smtp, consumer, sender and relay of the notification service, started and stopped by kind."""

    def __init__(self, folder: Path, bootstrap: str, database_url: str, **env):
        self.folder, self.smtp_port = Path(folder), free_port()
        (self.folder / "log").mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            **FAST,
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "ANTT_NOTIFICATION_DATABASE_URL": database_url,
            "ANTT_VAR_DIR": str(self.folder),
            "ANTT_SMTP_HOST": "127.0.0.1",
            "ANTT_SMTP_PORT": str(self.smtp_port),
            **env,
        }
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def mail_dir(self) -> Path:
        return self.folder / "mail"

    def start(self, kind: str) -> None:
        log = open(self.folder / "log" / f"{kind}.log", "ab")  # noqa: SIM115
        self.processes[kind] = subprocess.Popen(
            [sys.executable, "-m", f"services.notification.entrypoints.{kind}"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if kind == "smtp":
            wait_until(lambda: port_open(self.smtp_port), "the SMTP server to listen", 30, 0.05)

    def stop(self, kind: str) -> None:
        proc = self.processes.pop(kind)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)

    def stop_all(self) -> None:
        for kind in list(self.processes):
            self.stop(kind)

    def messages(self, to: str | None = None) -> list:
        files = sorted(self.mail_dir.glob("*.eml")) if self.mail_dir.exists() else []
        mails = [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in files
        ]
        return [m for m in mails if to is None or m["Delivered-To"] == to]


class EventSource:
    """Registration and review as they are on the wire: sealed envelopes, published with acks."""

    def __init__(self, url: str, bootstrap: str):
        self.clock = Clock()
        self.engine = make_engine(url)
        create_schema(self.engine)
        self.stores = {p: EventStore(p, TOPICS[p], self.clock) for p in ("registration", "review")}
        self.publisher = KafkaPublisher(bootstrap, {}, "notification-test-source", 2)
        self.publisher.ensure_topics(list(TOPICS.values()))

    def emit(self, producer: str, stream_id: str, event):
        store = self.stores[producer]
        context = Context({"sub": f"{producer}-user", "role": "admin"}, f"corr-{stream_id}")
        with self.engine.begin() as conn:
            [env] = store.append(
                conn, stream_id, store.version_of(conn, stream_id), [event], context
            )
        self.publish(producer, env)
        return env

    def publish(self, producer: str, env) -> None:
        message = Outgoing(env.unit_id or env.stream_id, env.to_bytes(), {"event_id": env.event_id})
        self.publisher.publish(TOPICS[producer], [message])

    def close(self) -> None:
        self.publisher.close()
        self.engine.dispose()
