"""Hostile tokens are refused: alg none, wrong secret, expired, missing claims, RS/HS confusion,
another issuer or audience."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from flask_smorest import Blueprint

from shared import cli
from shared.auth import TokenCheck, Unauthenticated, decode_token, mint_token
from shared.config import DEFAULT_JWT_AUDIENCE, DEV_JWT_ISSUER, DEV_JWT_SECRET, Settings
from shared.http.app import make_app
from shared.http.auth import requires
from shared.persistence.engine import make_engine
from tests.conftest import settings_for

ISSUED = {"iss": DEV_JWT_ISSUER, "aud": DEFAULT_JWT_AUDIENCE}
GOOD_CLAIMS = {"sub": "reviewer-1", "role": "reviewer", "jurisdiction": "nha-trang", **ISSUED}
DEV_CHECK = TokenCheck(DEV_JWT_SECRET, ("HS256",))


def _b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def signed(claims: dict, secret: str = DEV_JWT_SECRET) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


def future() -> int:
    # Minted when the module is collected: a day ahead, so a long suite never reaches it.
    return int(time.time()) + 86_400


# Well signed, but issued by someone else or meant for another system.
WRONG_PARTY = {
    "another issuer": signed({**GOOD_CLAIMS, "iss": "some-other-idp", "exp": future()}),
    "another audience": signed({**GOOD_CLAIMS, "aud": "another-system", "exp": future()}),
    "no iss": signed({k: v for k, v in GOOD_CLAIMS.items() if k != "iss"} | {"exp": future()}),
    "no aud": signed({k: v for k, v in GOOD_CLAIMS.items() if k != "aud"} | {"exp": future()}),
    "minted for another issuer": mint_token(
        DEV_JWT_SECRET, "admin", "a", None, "nha-trang", issuer="x"
    ),
    "minted for another audience": mint_token(
        DEV_JWT_SECRET, "admin", "a", None, "nha-trang", audience="y"
    ),
}

HOSTILE = {
    "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({**GOOD_CLAIMS, 'exp': future()})}.",
    "wrong secret": signed({**GOOD_CLAIMS, "exp": future()}, "not-the-secret-" * 4),
    "expired": signed({**GOOD_CLAIMS, "exp": int(time.time()) - 60}),
    "no exp": signed(GOOD_CLAIMS),
    "no sub": signed({"role": "reviewer", "jurisdiction": "nha-trang", "exp": future(), **ISSUED}),
    "no role": signed({"sub": "x", "jurisdiction": "nha-trang", "exp": future(), **ISSUED}),
    "unknown role": signed({**GOOD_CLAIMS, "role": "superuser", "exp": future()}),
    "unit without unit_id": signed({"sub": "u", "role": "unit", "exp": future(), **ISSUED}),
    "reviewer without jurisdiction": signed(
        {"sub": "r", "role": "reviewer", "exp": future(), **ISSUED}
    ),
    "HS512 instead of HS256": jwt.encode(
        {**GOOD_CLAIMS, "exp": future()}, DEV_JWT_SECRET, algorithm="HS512"
    ),
    "garbage": "not.a.token",
    **WRONG_PARTY,
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
        decode_token(token, DEV_CHECK)


def test_a_minted_token_is_accepted_with_its_claims():
    who = decode_token(mint_token(DEV_JWT_SECRET, "unit", "u-1", "kdc-1"), DEV_CHECK)
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


@pytest.mark.parametrize("token", WRONG_PARTY.values(), ids=WRONG_PARTY.keys())
def test_a_token_of_another_issuer_or_audience_gets_401_with_a_vietnamese_message(client, token):
    r = client.get("/api/v1/probe", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert "token" in r.json["message"]
    assert any(word in r.json["message"] for word in ("iss", "aud", "thiếu")), r.json["message"]


def test_the_configured_issuer_and_audience_are_the_ones_checked():
    check = TokenCheck(DEV_JWT_SECRET, ("HS256",), "https://idp.khanhhoa.gov.vn", "antt-kh")
    token = mint_token(
        DEV_JWT_SECRET,
        "auditor",
        "a",
        None,
        "khanh-hoa",
        issuer="https://idp.khanhhoa.gov.vn",
        audience="antt-kh",
    )
    assert decode_token(token, check).jurisdiction == "khanh-hoa"
    for wrong, claim in (({}, "iss"), ({"issuer": "https://idp.khanhhoa.gov.vn"}, "aud")):
        token = mint_token(DEV_JWT_SECRET, "auditor", "a", None, "khanh-hoa", **wrong)
        with pytest.raises(Unauthenticated, match=claim):
            decode_token(token, check)


def test_antt_token_mints_the_deployments_issuer_and_audience(monkeypatch, capsys):
    env = {"ANTT_JWT_ISSUER": "https://idp.khanhhoa.gov.vn", "ANTT_JWT_AUDIENCE": "antt-kh"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["token", "--role", "reviewer", "--sub", "r-1"]) == 0
    token = capsys.readouterr().out.strip()
    check = TokenCheck.of(Settings.from_env("review", {**env}))
    assert decode_token(token, check).sub == "r-1"
    with pytest.raises(Unauthenticated, match="iss"):
        decode_token(token, DEV_CHECK)
