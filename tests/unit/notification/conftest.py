"""Fixtures: the notification runtime on SQLite, real producers, a real consumer, an SMTP server."""

from __future__ import annotations

from datetime import datetime

import pytest

from services.notification.adapters.devsmtp import DevSmtpServer
from services.notification.bootstrap import bootstrap, scheduler, sender
from services.notification.settings import NotificationSettings
from shared.broker import free_port
from shared.clock import VIETNAM, FixedClock
from shared.messaging.consumer import IdempotentConsumer
from shared.runtime import consumer_name
from tests.conftest import settings_for
from tests.unit.notification.feeding import Feed, Producers


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM))


@pytest.fixture
def settings(tmp_path):
    return settings_for(
        "notification", f"sqlite:///{tmp_path / 'notification.db'}", var_dir=tmp_path / "var"
    )


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def mail_settings(smtp_port):
    return NotificationSettings(
        smtp_port=smtp_port,
        smtp_timeout_s=5,
        public_url="https://antt.example.vn/api/v1",
        retry_base_s=60,
        retry_max_attempts=3,
    )


@pytest.fixture
def rt(settings, clock, mail_settings):
    return bootstrap(settings, clock, mail_settings)


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "smtp-mail"


@pytest.fixture
def smtp(mail_dir, smtp_port):
    """A real SMTP server (the development one, in this process) storing into mail_dir."""
    server = DevSmtpServer(mail_dir, port=smtp_port).start()
    yield server
    server.stop()


@pytest.fixture
def outbox_sender(rt):
    return sender(rt)


@pytest.fixture
def reminders(rt):
    return scheduler(rt)


@pytest.fixture
def consumer(rt):
    return IdempotentConsumer(consumer_name("notification"), rt.engine, rt.handlers, rt.clock)


@pytest.fixture
def feed(tmp_path, clock, consumer):
    return Feed(Producers(f"sqlite:///{tmp_path / 'producers.db'}", clock), consumer)
