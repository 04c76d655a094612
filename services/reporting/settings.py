"""Reporting's own settings (public address, certificate key), read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass

from shared.config import UnsafeSettings

# Development only: production refuses to start with it (see `refuse_unsafe`).
DEV_CERTIFICATE_KEY = "antt-dev-certificate-key-change-me-0123456789"


@dataclass(frozen=True)
class ReportingSettings:
    # Where the QR codes on certificates point: the public address of this API.
    public_url: str
    # Enciphers decision event ids into certificate codes; changing it voids printed codes.
    certificate_key: bytes

    @classmethod
    def from_env(cls, port: int, env: dict | None = None) -> ReportingSettings:
        env = dict(os.environ if env is None else env)
        url = env.get("ANTT_PUBLIC_URL") or f"http://127.0.0.1:{port}"
        key = env.get("ANTT_CERTIFICATE_KEY") or DEV_CERTIFICATE_KEY
        return cls(url.rstrip("/"), key.encode())


class UnsafeCertificateKey(UnsafeSettings):
    """A production process started with the development certificate key."""


def refuse_unsafe(settings: ReportingSettings, environment: str) -> None:
    if environment == "production" and settings.certificate_key == DEV_CERTIFICATE_KEY.encode():
        raise UnsafeCertificateKey(
            "antt reporting: refusing to start with ANTT_ENV=production and the development "
            "ANTT_CERTIFICATE_KEY; set a random key (openssl rand -hex 32). (Không khởi động: "
            "khoá mã giấy công nhận là khoá thử nghiệm.)"
        )
