"""Fixtures for registration's tests: the app on SQLite at a fixed moment, tokens, uploads."""

from __future__ import annotations

import io
from datetime import datetime

import pytest

from services.registration.entrypoints.api import create_app
from shared.auth import mint_token
from shared.clock import VIETNAM, FixedClock
from tests.conftest import settings_for
from tests.unit.registration import files
from tests.unit.registration.builders import Builder


@pytest.fixture
def clock():
    # Quarter I of 2026: registration is open, the dossier window is not.
    return FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM))


@pytest.fixture
def settings(sqlite_url, tmp_path):
    return settings_for(
        "registration", sqlite_url, var_dir=tmp_path / "var", max_upload_bytes=64 * 1024
    )


@pytest.fixture
def app(settings, clock):
    return create_app(settings, clock)


@pytest.fixture
def rt(app):
    return app.config["ANTT_RUNTIME"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token(rt):
    def make(role="admin", sub=None, unit_id=None, jurisdiction="nha-trang"):
        scope = None if role == "unit" else jurisdiction
        raw = mint_token(rt.settings.jwt_secret, role, sub or f"{role}-1", unit_id, scope)
        return {"Authorization": f"Bearer {raw}"}

    return make


@pytest.fixture
def build(client, token, clock):
    return Builder(client, token, clock)


def upload(client, headers, data: bytes, name: str = "tai-lieu.pdf"):
    return client.post(
        "/api/v1/documents",
        headers=headers,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


__all__ = ["files", "upload"]
