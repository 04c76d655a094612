"""The portal's settings: where the four APIs answer, the session secret, the sign-in kind."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from shared.config import DEFAULT_JWT_AUDIENCE, DEFAULT_PORTS, DEV_JWT_ISSUER, DEV_JWT_SECRET

APIS = ("registration", "review", "notification", "reporting")
DEV_SESSION_SECRET = "antt-portal-dev-session-secret-change-me-0123456789"


class SettingsRefused(RuntimeError):
    """A production portal configured with a development secret."""


@dataclass(frozen=True)
class PortalSettings:
    api_urls: dict = field(default_factory=dict)
    secret_key: str = DEV_SESSION_SECRET
    jwt_secret: str = DEV_JWT_SECRET
    jwt_issuer: str = DEV_JWT_ISSUER
    jwt_audience: str = DEFAULT_JWT_AUDIENCE
    environment: str = "development"
    api_timeout_s: float = 10.0
    clock_start: str | None = None
    clock_anchor: float | None = None
    public_url: str = "http://127.0.0.1:8000"
    max_upload_bytes: int = 20 * 1024 * 1024
    secure_cookies: bool = False

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_env(cls, env: dict | None = None) -> PortalSettings:
        env = dict(os.environ if env is None else env)
        urls = {
            api: env.get(f"ANTT_{api.upper()}_URL")
            or f"http://127.0.0.1:{env.get(f'ANTT_{api.upper()}_PORT', DEFAULT_PORTS[api])}"
            for api in APIS
        }
        port = env.get("ANTT_PORTAL_PORT", "8000")
        settings = cls(
            api_urls=urls,
            secret_key=env.get("ANTT_PORTAL_SECRET_KEY", DEV_SESSION_SECRET),
            jwt_secret=env.get("ANTT_JWT_SECRET", DEV_JWT_SECRET),
            jwt_issuer=env.get("ANTT_JWT_ISSUER") or DEV_JWT_ISSUER,
            jwt_audience=env.get("ANTT_JWT_AUDIENCE") or DEFAULT_JWT_AUDIENCE,
            environment=env.get("ANTT_ENV", "development"),
            api_timeout_s=float(env.get("ANTT_PORTAL_API_TIMEOUT_S", "10")),
            clock_start=env.get("ANTT_CLOCK") or None,
            clock_anchor=float(env["ANTT_CLOCK_ANCHOR"]) if env.get("ANTT_CLOCK_ANCHOR") else None,
            public_url=env.get("ANTT_PUBLIC_URL", f"http://127.0.0.1:{port}").rstrip("/"),
            max_upload_bytes=int(env.get("ANTT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))),
            secure_cookies=env.get("ANTT_PORTAL_SECURE_COOKIES", "").lower() in ("1", "true"),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Production never runs on the development session secret or a short one."""
        if self.production and (self.secret_key == DEV_SESSION_SECRET or len(self.secret_key) < 32):
            raise SettingsRefused(
                "ANTT_PORTAL_SECRET_KEY phải được đặt (ít nhất 32 ký tự) khi ANTT_ENV=production"
            )
