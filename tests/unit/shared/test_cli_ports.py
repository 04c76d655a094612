"""`antt run` takes each process's port from ANTT_<SERVICE>_PORT, the portal's included."""

import pytest

from shared.cli import _ports
from shared.config import DEFAULT_PORTS


def test_the_default_ports_put_the_portal_on_8000(monkeypatch):
    for service in DEFAULT_PORTS:
        monkeypatch.delenv(f"ANTT_{service.upper()}_PORT", raising=False)
    assert _ports()["portal"] == 8000 and _ports() == DEFAULT_PORTS


def test_a_port_from_the_environment_is_used_and_a_bad_one_refused(monkeypatch):
    monkeypatch.setenv("ANTT_PORTAL_PORT", "18000")
    assert _ports()["portal"] == 18000
    monkeypatch.setenv("ANTT_PORTAL_PORT", "tám nghìn")
    with pytest.raises(SystemExit, match="ANTT_PORTAL_PORT"):
        _ports()
