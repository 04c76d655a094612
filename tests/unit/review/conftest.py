"""Fixtures for review's tests: the app on SQLite at a fixed moment, tokens, registration feed."""

from datetime import datetime

import pytest

from services.review.entrypoints.api import create_app
from shared.auth import mint_token
from shared.clock import VIETNAM, FixedClock
from tests.conftest import settings_for
from tests.unit.review.feed import RegistrationFeed


@pytest.fixture
def clock():
    return FixedClock(datetime(2025, 11, 20, 9, 0, tzinfo=VIETNAM))


@pytest.fixture
def app(sqlite_url, clock):
    return create_app(settings_for("review", sqlite_url), clock)


@pytest.fixture
def rt(app):
    return app.config["ANTT_RUNTIME"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def feed(tmp_path, rt):
    return RegistrationFeed(tmp_path, rt)


@pytest.fixture
def token(rt):
    def make(role, sub=None, unit_id=None, jurisdiction="nha-trang"):
        scope = None if role == "unit" else jurisdiction
        raw = mint_token(rt.settings.jwt_secret, role, sub, unit_id, scope)
        return {"Authorization": f"Bearer {raw}"}

    return make
