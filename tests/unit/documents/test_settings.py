"""Reporting's settings: the public address; no development certificate key in production."""

import pytest

from services.reporting.settings import (
    DEV_CERTIFICATE_KEY,
    ReportingSettings,
    UnsafeCertificateKey,
    refuse_unsafe,
)


def test_the_verify_address_defaults_to_the_reporting_apis_own():
    own = ReportingSettings.from_env(8004, {})
    assert own.public_url == "http://127.0.0.1:8004"
    given = ReportingSettings.from_env(8004, {"ANTT_PUBLIC_URL": "https://antt.example.vn/"})
    assert given.public_url == "https://antt.example.vn"


def test_production_refuses_the_development_certificate_key():
    dev = ReportingSettings.from_env(8004, {})
    assert dev.certificate_key == DEV_CERTIFICATE_KEY.encode()
    with pytest.raises(UnsafeCertificateKey, match="ANTT_CERTIFICATE_KEY"):
        refuse_unsafe(dev, "production")
    refuse_unsafe(dev, "development")
    refuse_unsafe(
        ReportingSettings.from_env(8004, {"ANTT_CERTIFICATE_KEY": "x" * 40}), "production"
    )
