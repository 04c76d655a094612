"""With ANTT_ENV=production no process starts on a token secret anyone could know or guess."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest

from shared.config import DEV_JWT_SECRET, Settings, UnsafeSettings, refuse_unsafe
from tests.conftest import settings_for

STRONG = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c"  # 32 bytes
PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMIIB…\n-----END PUBLIC KEY-----"
ISSUER = "https://sso.khanhhoa.gov.vn/realms/antt"
SERVICES = ("registration", "review", "notification", "reporting")


def production(**kw) -> Settings:
    return settings_for("review", "sqlite://", environment="production", **kw)


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        (production(jwt_allow_hs256=True), "development secret"),
        (production(jwt_allow_hs256=True, jwt_secret=STRONG[:31]), "shorter than 32 bytes"),
        (production(jwt_allow_hs256=True, jwt_secret=""), "shorter than 32 bytes"),
        (production(jwt_secret=STRONG), "ANTT_JWT_ALLOW_HS256"),
        (production(oidc_issuer=ISSUER, jwt_allow_hs256=True), "development secret"),
    ],
    ids=["development secret", "31 bytes", "empty", "HS256 not enabled", "provider and dev HS"],
)
def test_production_refuses_an_unsafe_token_secret_with_a_clear_message(settings, problem):
    with pytest.raises(UnsafeSettings, match=problem):
        refuse_unsafe(settings)


@pytest.mark.parametrize(
    "settings",
    [
        production(jwt_public_key=PUBLIC_KEY),
        production(jwt_public_key=PUBLIC_KEY, jwt_secret="short"),
        production(jwt_allow_hs256=True, jwt_secret=STRONG),
        production(oidc_issuer=ISSUER),
        settings_for("review", "sqlite://"),  # development: the development secret is fine
        settings_for("review", "sqlite://", environment="drill", jwt_secret="short"),
    ],
    ids=[
        "public key",
        "public key, short unused secret",
        "strong HS256",
        "provider, HS256 off",
        "development",
        "drill",
    ],
)
def test_a_public_key_a_strong_enabled_secret_or_another_environment_starts(settings):
    refuse_unsafe(settings)


def test_the_settings_read_hs256_issuer_and_audience_from_the_environment():
    env = {
        "ANTT_JWT_ISSUER": "https://idp.khanhhoa.gov.vn",
        "ANTT_JWT_AUDIENCE": "antt-kh",
        "ANTT_JWT_ALLOW_HS256": "true",
    }
    s = Settings.from_env("review", env)
    assert (s.jwt_issuer, s.jwt_audience, s.jwt_allow_hs256) == (
        "https://idp.khanhhoa.gov.vn",
        "antt-kh",
        True,
    )
    d = Settings.from_env("review", {})
    assert (d.jwt_issuer, d.jwt_audience, d.jwt_allow_hs256) == ("antt-dev", "antt", False)


@pytest.mark.parametrize("service", SERVICES)
def test_every_services_start_up_refuses_before_touching_its_database(service, tmp_path):
    db = tmp_path / f"{service}.db"
    settings = settings_for(service, f"sqlite:///{db}", environment="production")
    bootstrap = importlib.import_module(f"services.{service}.bootstrap").bootstrap
    with pytest.raises(UnsafeSettings):
        bootstrap(settings)
    assert not db.exists()


def test_a_worker_process_on_the_development_secret_exits_non_zero_saying_why(tmp_path):
    env = {
        **os.environ,
        "ANTT_ENV": "production",
        "ANTT_JWT_SECRET": DEV_JWT_SECRET,
        "ANTT_JWT_ALLOW_HS256": "true",
        "ANTT_VAR_DIR": str(tmp_path),
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "services.review.entrypoints.consumer"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "refusing to start with ANTT_ENV=production" in done.stderr
    assert "development secret" in done.stderr
    assert list(tmp_path.iterdir()) == []
