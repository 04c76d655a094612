"""Fixtures: the notification runtime on SQLite, real producers and a real consumer."""

from __future__ import annotations

from datetime import datetime

import pytest

from services.notification.bootstrap import bootstrap
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
def rt(settings, clock):
    return bootstrap(settings, clock)


@pytest.fixture
def mail_dir(settings):
    return settings.var_dir / "mail"


@pytest.fixture
def consumer(rt):
    return IdempotentConsumer(consumer_name("notification"), rt.engine, rt.handlers, rt.clock)


@pytest.fixture
def feed(tmp_path, clock, consumer):
    return Feed(Producers(f"sqlite:///{tmp_path / 'producers.db'}", clock), consumer)
