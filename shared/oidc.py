"""An OpenID Connect provider's signing keys: discovery document → `jwks_uri` → a cached JWKS."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import jwt

# A discovery document is a few kilobytes; anything far larger is not one.
MAX_DISCOVERY_BYTES = 256 * 1024
# After a failed discovery (provider down or starting), requests meanwhile answer 503 at once.
DISCOVERY_RETRY_S = 5


class ProviderUnavailable(Exception):
    """The provider's discovery document or key set could not be fetched (503, not 401)."""


class ProviderKeys:
    """The keys of one issuer. Nothing is fetched until a token needs a key; the key set is then
    cached (`lifespan_s`) and fetched again early only for a `kid` it does not hold, at most once
    per `refresh_cooldown_s` (PyJWKClient's cooldown), so forged `kid`s cannot make every request
    reach the provider. A failed discovery is retried no sooner than `DISCOVERY_RETRY_S` later."""

    def __init__(
        self,
        issuer: str,
        refresh_cooldown_s: float = 60,
        lifespan_s: float = 300,
        timeout_s: float = 5,
        discovery_url: str | None = None,
    ):
        self.issuer = issuer
        self.discovery_url = discovery_url or (
            issuer.rstrip("/") + "/.well-known/openid-configuration"
        )
        self.refresh_cooldown_s = refresh_cooldown_s
        self.lifespan_s = lifespan_s
        self.timeout_s = timeout_s
        self._client: jwt.PyJWKClient | None = None
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    def signing_key(self, token: str):
        """The public key the token's `kid` names; raises jwt.PyJWKClientError if none does."""
        client = self._jwks_client()
        try:
            return client.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as err:
            raise ProviderUnavailable(f"JWKS of {self.issuer}: {err}") from None

    def _jwks_client(self) -> jwt.PyJWKClient:
        with self._lock:
            if self._client is None:
                failed = self._failed_at
                if failed is not None and time.monotonic() - failed < DISCOVERY_RETRY_S:
                    raise ProviderUnavailable(f"discovery of {self.issuer} failed recently")
                try:
                    self._client = self._discover()
                except ProviderUnavailable:
                    self._failed_at = time.monotonic()
                    raise
            return self._client

    def _discover(self) -> jwt.PyJWKClient:
        try:
            with urllib.request.urlopen(self.discovery_url, timeout=self.timeout_s) as resp:
                document = json.loads(resp.read(MAX_DISCOVERY_BYTES + 1)[:MAX_DISCOVERY_BYTES])
        except (OSError, ValueError) as err:
            raise ProviderUnavailable(f"{self.discovery_url}: {err}") from None
        if not isinstance(document, dict) or document.get("issuer") != self.issuer:
            # OpenID Connect Discovery §4.3: the document must name the issuer it was asked for.
            raise ProviderUnavailable(f"{self.discovery_url} names another issuer")
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("https://", "http://")):
            raise ProviderUnavailable(f"{self.discovery_url} has no usable jwks_uri")
        return jwt.PyJWKClient(
            jwks_uri,
            lifespan=self.lifespan_s,
            timeout=self.timeout_s,
            cooldown_duration=self.refresh_cooldown_s,
        )
