"""Hostile tokens are refused: alg none, wrong secret, expired, missing claims, RS/HS confusion."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from flask_smorest import Blueprint

from shared.auth import Unauthenticated, decode_token, mint_token
from shared.config import DEV_JWT_SECRET
from shared.http.app import make_app
from shared.http.auth import requires
from shared.persistence.engine import make_engine
from tests.conftest import settings_for

GOOD_CLAIMS = {"sub": "reviewer-1", "role": "reviewer", "jurisdiction": "nha-trang"}


def _b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def signed(claims: dict, secret: str = DEV_JWT_SECRET) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


def future() -> int:
    return int(time.time()) + 600


HOSTILE = {
    "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({**GOOD_CLAIMS, 'exp': future()})}.",
    "wrong secret": signed({**GOOD_CLAIMS, "exp": future()}, "not-the-secret-" * 4),
    "expired": signed({**GOOD_CLAIMS, "exp": int(time.time()) - 60}),
    "no exp": signed(GOOD_CLAIMS),
    "no sub": signed({"role": "reviewer", "jurisdiction": "nha-trang", "exp": future()}),
    "no role": signed({"sub": "x", "jurisdiction": "nha-trang", "exp": future()}),
    "unknown role": signed({**GOOD_CLAIMS, "role": "superuser", "exp": future()}),
    "unit without unit_id": signed({"sub": "u", "role": "unit", "exp": future()}),
    "reviewer without jurisdiction": signed({"sub": "r", "role": "reviewer", "exp": future()}),
    "HS512 instead of HS256": jwt.encode(
        {**GOOD_CLAIMS, "exp": future()}, DEV_JWT_SECRET, algorithm="HS512"
    ),
    "garbage": "not.a.token",
    "tampered payload": ".".join(
        [
            signed({**GOOD_CLAIMS, "exp": future()}).split(".")[0],
            _b64({**GOOD_CLAIMS, "role": "admin", "exp": future()}),
            signed({**GOOD_CLAIMS, "exp": future()}).split(".")[2],
        ]
    ),
}


@pytest.mark.parametrize("token", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_token_is_not_accepted(token):
    with pytest.raises(Unauthenticated):
        decode_token(token, DEV_JWT_SECRET)


def test_a_minted_token_is_accepted_with_its_claims():
    who = decode_token(mint_token(DEV_JWT_SECRET, "unit", "u-1", "kdc-1"), DEV_JWT_SECRET)
    assert (who.sub, who.role, who.unit_id) == ("u-1", "unit", "kdc-1")


@pytest.fixture
def client(sqlite_url):
    bp = Blueprint("probe", __name__)

    @bp.route("/probe")
    @requires("reviewer")
    def probe():
        return {"ok": True}

    engine = make_engine(sqlite_url)
    app = make_app(settings_for("probe", sqlite_url), engine, "probe", [bp], {})
    yield app.test_client()
    engine.dispose()


@pytest.mark.parametrize("token", HOSTILE.values(), ids=HOSTILE.keys())
def test_over_http_a_hostile_token_gets_401_in_the_contracts_error_shape(client, token):
    r = client.get("/api/v1/probe", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert r.json["code"] == 401 and r.json["message"]


def test_over_http_a_valid_token_of_another_role_gets_403(client):
    token = mint_token(DEV_JWT_SECRET, "auditor", "a", None, "nha-trang")
    r = client.get("/api/v1/probe", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403 and r.json["status"]


def test_over_http_no_token_gets_401(client):
    assert client.get("/api/v1/probe").status_code == 401
