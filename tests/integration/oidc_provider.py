"""A real OpenID Connect provider process for tests (shared/dev_idp.py on a free port), signing in
through its form as a browser would; and a bare key server whose tokens the tests write."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from shared.broker import free_port
from tests.e2e.client import wait_until

REDIRECT_URI = "http://127.0.0.1:1/signed-in"


@dataclass
class ProviderProcess:
    """`python -m shared.dev_idp` on `port`, its output in `log`."""

    log: Path
    port: int = field(default_factory=free_port)
    kid: str | None = None
    audience: str = "antt"
    process: subprocess.Popen | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ProviderProcess:
        command = [sys.executable, "-m", "shared.dev_idp", "--port", str(self.port)]
        command += ["--audience", self.audience] + (["--kid", self.kid] if self.kid else [])
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        wait_until(self._answers, f"the provider on {self.issuer}", timeout_s=30, every_s=0.1)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def _answers(self) -> bool:
        assert self.process.poll() is None, f"the provider exited; see {self.log}"
        try:
            return httpx.get(self.issuer + "/.well-known/openid-configuration").is_success
        except httpx.TransportError:
            return False

    def sign_in(self, sub: str) -> dict:
        return sign_in(self.issuer, sub)

    def access_token(self, sub: str) -> str:
        return self.sign_in(sub)["access_token"]


def sign_in(issuer: str, sub: str) -> dict:
    """The token response after `sub` picks their account on the provider's form."""
    query = {
        "client_id": "antt-tests",
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "scope": "openid profile",
        "nonce": uuid.uuid4().hex,
        "state": uuid.uuid4().hex,
    }
    form = httpx.post(issuer + "/oauth2/authorize", params=query, data={"sub": sub})
    assert form.status_code == 302, form.text
    code = parse_qs(urlparse(form.headers["location"]).query)["code"][0]
    answer = httpx.post(
        issuer + "/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
        auth=("antt-tests", "any-secret"),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


class KeyServer:
    """Discovery and a JWKS for a key the test holds, to write tokens no provider would issue."""

    def __init__(self, kid: str = "test-key", alg: str = "RS256"):
        self.kid, self.alg = kid, alg
        self.hits: dict[str, int] = {}  # path → how many times it was fetched
        self.private = (
            ec.generate_private_key(ec.SECP256R1())
            if alg == "ES256"
            else rsa.generate_private_key(public_exponent=65537, key_size=2048)
        )
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> KeyServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def token(self, headers: dict | None = None, **claims) -> str:
        now = int(time.time())
        body = {"iss": self.issuer, "aud": "antt", "sub": "kc-7f3e", "iat": now, "exp": now + 300}
        body |= {"role": "reviewer", "jurisdiction": "nha-trang"} | claims
        return jwt.encode(
            body, self.private, algorithm=self.alg, headers={"kid": self.kid} | (headers or {})
        )

    def _documents(self) -> dict:
        family = jwt.algorithms.ECAlgorithm if self.alg == "ES256" else jwt.algorithms.RSAAlgorithm
        public = json.loads(family.to_jwk(self.private.public_key()))
        return {
            "/.well-known/openid-configuration": {
                "issuer": self.issuer,
                "jwks_uri": self.issuer + "/jwks",
            },
            "/jwks": {"keys": [public | {"kid": self.kid, "use": "sig", "alg": self.alg}]},
        }

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                document = server._documents().get(self.path)
                body = json.dumps(document).encode()
                self.send_response(200 if document else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler
