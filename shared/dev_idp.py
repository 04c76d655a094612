"""The development OpenID Connect provider of `make run`: oidc-provider-mock with the demo accounts,
issuing JWT access tokens (RFC 9068) for the APIs, signed with a key its JWKS publishes.

    python -m shared.dev_idp --port 8010 [--audience antt] [--kid KID] [--key-file PEM]

Development only: it signs anyone in who picks an account on its form.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from pathlib import Path

import flask
import jwt
from authlib import jose
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from oidc_provider_mock import User, init_app
from werkzeug.serving import run_simple

from shared.config import DEFAULT_JWT_AUDIENCE
from shared.demo_accounts import DEMO_ACCOUNTS

ACCESS_TOKEN_TTL_S = 3600

# Claims the access token carries over from the account (the APIs read them).
CARRIED = ("name", "role", "unit_id", "jurisdiction")


def signing_key(key_file: Path | None) -> rsa.RSAPrivateKey:
    """The key in `key_file` (written there on first use, so that a restarted provider signs as
    before and tokens already handed out stay good), or a fresh one."""
    if key_file is not None and key_file.exists():
        return serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if key_file is not None:
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_bytes(pem)
    return private


def create_app(
    audience: str = DEFAULT_JWT_AUDIENCE, kid: str | None = None, key_file: Path | None = None
) -> flask.Flask:
    """The provider as a WSGI app; `kid` names its signing key (default: its thumbprint)."""
    private = signing_key(key_file)
    jwk = jose.RSAKey.import_key(private)
    jwk = jose.RSAKey.import_key(private, {"kid": kid or jwk.thumbprint(), "use": "sig"})
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )

    def access_token(client, grant_type, user, scope) -> str:
        now = int(time.time())
        claims = {
            "iss": flask.request.host_url.rstrip("/"),
            "sub": user.sub,
            "aud": audience,
            "client_id": client.get_client_id(),
            "iat": now,
            "nbf": now,
            "exp": now + ACCESS_TOKEN_TTL_S,
            "jti": uuid.uuid4().hex,
            "scope": scope,
        }
        claims |= {k: v for k, v in user.claims.items() if k in CARRIED}
        return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": jwk.kid, "typ": "at+jwt"})

    app = flask.Flask(__name__)
    app.config["OAUTH2_ACCESS_TOKEN_GENERATOR"] = access_token
    accounts = [User(sub=sub, claims=claims) for sub, claims in DEMO_ACCOUNTS]
    init_app(app, user_claims=accounts, require_nonce=True)
    # init_app wraps the app in Werkzeug's interactive debugger: not even on a laptop.
    app.wsgi_app, app.debug = app.wsgi_app.app, False
    app.secret_key = os.urandom(16)

    @app.before_request
    def sign_with_our_key():
        # The mock keeps one generated key without a kid; ours has one, so that the JWKS names
        # it and a rotation (a new key, a new kid) is seen by the APIs.
        flask.g.oidc_provider_mock_storage.jwk = jwk

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--audience", default=os.environ.get("ANTT_JWT_AUDIENCE") or "antt")
    parser.add_argument("--kid", default=None, help="the signing key's id (default: thumbprint)")
    parser.add_argument("--key-file", type=Path, default=None, help="keep the key in this file")
    args = parser.parse_args(argv)
    # OAuth over plain http, on this machine only.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    app = create_app(args.audience, args.kid, args.key_file)
    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
