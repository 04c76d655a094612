"""The APIs trust a real OpenID Connect provider process: its tokens are accepted by each API,
a rotated key is picked up after an unknown kid, and tokens from elsewhere or of the wrong kind
are refused with 401 (issue 22)."""

from __future__ import annotations

import base64
import json
import signal
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from shared.broker import free_port
from shared.config import DEV_JWT_SECRET
from shared.stack import Stack
from tests.e2e.client import wait_until
from tests.hostile.apps import SERVICES, build_app
from tests.integration.oidc_provider import KeyServer, ProviderProcess

pytestmark = pytest.mark.integration

# A call each API answers for a Nha Trang reviewer on an empty database.
READ = {
    "registration": "/units?commune_code=vinh-hai",
    "review": "/criteria?unit_type=residential_area&year=2025",
    "notification": "/notifications?unit_id=kdc-vinh-hai-demo-1&year=2026",
    "reporting": "/reports/2026?commune_code=vinh-hai",
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    running = ProviderProcess(tmp_path_factory.mktemp("idp") / "provider.log").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def apps(provider, tmp_path_factory):
    """Each API as `make run` configures it: HS256 for `antt token` and the provider beside."""
    directory = tmp_path_factory.mktemp("apps")
    return {s: build_app(s, directory, oidc_issuer=provider.issuer) for s in SERVICES}


def call(app, path: str, token: str):
    return app.test_client().get("/api/v1" + path, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("service", SERVICES)
def test_a_token_from_the_provider_is_accepted_by_each_api(service, provider, apps):
    answer = call(apps[service], READ[service], provider.access_token("reviewer-nt"))
    assert answer.status_code == 200, answer.get_json()


def test_the_actor_of_a_command_is_the_providers_subject_with_the_persons_name(provider, apps):
    app = apps["registration"]
    token = provider.access_token("admin-nt")
    answer = app.test_client().post(
        "/api/v1/campaigns/2027", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.get_json()
    with app.config["ANTT_RUNTIME"].engine.connect() as conn:
        query = "SELECT envelope FROM events ORDER BY position DESC"
        envelope = conn.exec_driver_sql(query).scalars().first()
    assert json.loads(envelope)["actor"] == {
        "sub": "admin-nt",
        "role": "admin",
        "name": "Quản trị Nha Trang (mẫu)",
    }


def test_a_rotated_key_is_picked_up_after_an_unknown_kid(tmp_path):
    first = ProviderProcess(tmp_path / "first.log").start()
    app = build_app("review", tmp_path, oidc_issuer=first.issuer, oidc_jwks_refresh_s=0.5)
    old = first.access_token("reviewer-nt")
    assert call(app, READ["review"], old).status_code == 200
    first.stop()
    # The same issuer again, with a new key: its kid is one the API has not seen.
    second = ProviderProcess(tmp_path / "second.log", port=first.port).start()
    try:
        new = second.access_token("reviewer-nt")
        assert jwt.get_unverified_header(new)["kid"] != jwt.get_unverified_header(old)["kid"]
        wait_until(
            lambda: call(app, READ["review"], new).status_code == 200,
            "the new key to be fetched",
            timeout_s=20,
        )
        assert call(app, READ["review"], old).status_code == 401  # the retired key is gone
    finally:
        second.stop()


def test_a_token_from_a_second_provider_with_the_same_kid_is_refused(tmp_path):
    ours = ProviderProcess(tmp_path / "ours.log", kid="shared-kid").start()
    other = ProviderProcess(tmp_path / "other.log", kid="shared-kid").start()
    try:
        app = build_app("review", tmp_path, oidc_issuer=ours.issuer)
        assert call(app, READ["review"], ours.access_token("reviewer-nt")).status_code == 200
        answer = call(app, READ["review"], other.access_token("reviewer-nt"))
        assert answer.status_code == 401
        assert jwt.get_unverified_header(other.access_token("reviewer-nt"))["kid"] == "shared-kid"
    finally:
        ours.stop()
        other.stop()


def test_a_token_from_the_provider_for_another_audience_is_refused(tmp_path):
    elsewhere = ProviderProcess(tmp_path / "aud.log", audience="another-system").start()
    try:
        app = build_app("review", tmp_path, oidc_issuer=elsewhere.issuer)
        answer = call(app, READ["review"], elsewhere.access_token("reviewer-nt"))
        assert answer.status_code == 401
        assert "aud" in answer.get_json()["message"]
    finally:
        elsewhere.stop()


def _b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def _refusals(keys: KeyServer) -> dict:
    now = int(time.time())
    public_pem = keys.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = {"iss": keys.issuer, "aud": "antt", "sub": "x", "exp": now + 300}
    claims |= {"role": "reviewer", "jurisdiction": "nha-trang"}
    return {
        "wrong iss": keys.token(iss="https://idp.elsewhere.vn"),
        "wrong aud": keys.token(aud="another-system"),
        "expired": keys.token(exp=now - 120),
        "not yet valid": keys.token(nbf=now + 600),
        "no exp": jwt.encode(
            {k: v for k, v in claims.items() if k != "exp"},
            keys.private,
            algorithm="RS256",
            headers={"kid": keys.kid},
        ),
        "alg none": f"{_b64({'alg': 'none', 'kid': keys.kid})}.{_b64(claims)}.",
        "HS256 with the dev secret": jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256"),
        "HS256 keyed with the public key": _hs256_with(public_pem, claims, keys.kid),
        "unknown kid": keys.token(headers={"kid": "forged"}),
    }


def _hs256_with(secret: bytes, claims: dict, kid: str) -> str:
    # PyJWT refuses a PEM as an HMAC secret; the attack is written by hand.
    import hashlib
    import hmac

    signing_input = f"{_b64({'alg': 'HS256', 'kid': kid, 'typ': 'JWT'})}.{_b64(claims)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


REFUSED = [
    "wrong iss",
    "wrong aud",
    "expired",
    "not yet valid",
    "no exp",
    "alg none",
    "HS256 with the dev secret",
    "HS256 keyed with the public key",
    "unknown kid",
]


@pytest.fixture(scope="module")
def rs256_only(tmp_path_factory):
    """A production API trusting only the key server's issuer (no HS256 secret)."""
    with KeyServer() as keys:
        app = build_app(
            "review",
            tmp_path_factory.mktemp("rs256"),
            oidc_issuer=keys.issuer,
            environment="production",
        )
        yield keys, app


def test_a_well_formed_token_of_the_key_server_is_accepted(rs256_only):
    keys, app = rs256_only
    assert call(app, READ["review"], keys.token()).status_code == 200


def test_an_es256_token_of_a_provider_with_an_ec_key_is_accepted(tmp_path):
    with KeyServer(alg="ES256") as keys:
        app = build_app("review", tmp_path, oidc_issuer=keys.issuer, environment="production")
        assert call(app, READ["review"], keys.token()).status_code == 200
        assert call(app, READ["review"], keys.token(aud="x")).status_code == 401


@pytest.mark.parametrize("case", REFUSED)
def test_tokens_from_elsewhere_or_of_the_wrong_kind_are_refused_with_401(case, rs256_only):
    keys, app = rs256_only
    answer = call(app, READ["review"], _refusals(keys)[case])
    assert answer.status_code == 401, answer.get_json()
    assert answer.get_json()["message"]


def test_the_stack_of_make_run_starts_the_development_provider_and_points_the_apis_at_it(
    tmp_path,
):
    stack = Stack(tmp_path, ports={"identity": free_port()}, dev_identity_provider=True)
    (tmp_path / "log").mkdir()
    assert stack._use_dev_idp()
    stack.start_process("identity-provider")
    try:
        issuer = stack.env["ANTT_OIDC_ISSUER"]
        assert issuer == f"http://127.0.0.1:{stack.ports['identity']}"
        discovery = _wait_for_discovery(issuer)
        assert discovery["issuer"] == issuer
        assert stack._env("review")["ANTT_OIDC_ISSUER"] == issuer
        keys = httpx.get(discovery["jwks_uri"]).json()
        # Restarted (as the supervisor does), it signs with the same key, kept under var/.
        stack.kill("identity-provider", signal.SIGTERM)
        stack.restart("identity-provider")
        _wait_for_discovery(issuer)
        assert httpx.get(discovery["jwks_uri"]).json() == keys
    finally:
        stack.stop()


def _wait_for_discovery(issuer: str) -> dict:
    return wait_until(
        lambda: _discovery(issuer), "the development provider", timeout_s=30, every_s=0.1
    )


def test_a_named_provider_is_used_instead_of_the_development_one(tmp_path):
    stack = Stack(tmp_path, env={"ANTT_OIDC_ISSUER": "https://sso.example.vn/realms/antt"})
    stack.dev_identity_provider = True
    assert not stack._use_dev_idp()


def _discovery(issuer: str) -> dict | None:
    try:
        return httpx.get(issuer + "/.well-known/openid-configuration").json()
    except httpx.TransportError:
        return None


def test_while_the_provider_cannot_be_reached_the_api_answers_503_not_401(tmp_path):
    with KeyServer() as keys:
        token = keys.token()
    silent = f"http://127.0.0.1:{free_port()}"
    app = build_app("review", tmp_path, oidc_issuer=silent, environment="production")
    answer = call(app, READ["review"], token)
    assert answer.status_code == 503
    assert "máy chủ định danh" in answer.get_json()["message"]


def test_forged_kids_do_not_make_every_request_fetch_the_providers_keys(tmp_path):
    with KeyServer() as keys:
        app = build_app("review", tmp_path, oidc_issuer=keys.issuer, environment="production")
        assert call(app, READ["review"], keys.token()).status_code == 200
        for n in range(20):
            forged = keys.token(headers={"kid": f"forged-{n}"})
            assert call(app, READ["review"], forged).status_code == 401
        assert keys.hits == {"/.well-known/openid-configuration": 1, "/jwks": 1}


def test_a_discovery_document_naming_another_issuer_is_not_trusted(tmp_path):
    with KeyServer() as keys:
        claimed = keys.issuer + "/realms/antt"  # the document says keys.issuer
        app = build_app("review", tmp_path, oidc_issuer=claimed, environment="production")
        token = keys.token(iss=claimed)
        assert call(app, READ["review"], token).status_code == 503
        assert "/jwks" not in keys.hits
