"""Readiness asks the broker cluster, not one broker: any listed broker answering is enough;
what is down is told by a reason code, never by raw exception text."""

from __future__ import annotations

import socket

import pytest

from shared.broker import free_port
from shared.http.app import make_app
from shared.http.health import FAILURES, NotReady, _broker_reachable, _check, _parked_summary
from shared.persistence.engine import make_engine
from tests.conftest import settings_for


@pytest.fixture
def listening_port():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_the_broker_counts_as_reachable_when_a_later_listed_broker_answers(listening_port):
    down = free_port()
    detail = _broker_reachable(f"127.0.0.1:{down},127.0.0.1:{listening_port}")
    assert detail == {"answered": f"127.0.0.1:{listening_port}"}


def test_the_broker_is_unreachable_when_no_listed_broker_answers():
    with pytest.raises(ConnectionError, match="no broker answers"):
        _broker_reachable(f"127.0.0.1:{free_port()},127.0.0.1:{free_port()}")


@pytest.fixture
def unready_app():
    """An API whose database and broker are both down; the database URL holds a password."""
    port = free_port()
    url = f"postgresql+psycopg://antt_review:s3cret-pw@127.0.0.1:{port}/antt_review"
    engine = make_engine(url)
    settings = settings_for("review", url, bootstrap=f"127.0.0.1:{free_port()}")
    yield make_app(settings, engine, "probe", [], {}), port
    engine.dispose()


def test_readyz_names_what_is_down_by_a_reason_code_without_raw_exception_text(unready_app, caplog):
    app, port = unready_app
    r = app.test_client().get("/readyz")
    assert r.status_code == 503 and r.json["ready"] is False
    checks = r.json["checks"]
    assert checks["database"] == {
        "ok": False,
        "reason": "database_unreachable",
        "message": FAILURES["database"][1],
    }
    assert checks["broker"]["reason"] == "broker_unreachable"
    assert "error" not in checks["database"]
    body = r.get_data(as_text=True)
    for leak in ("s3cret", str(port), "127.0.0.1", "psycopg", "Error", "refused"):
        assert leak not in body
    # The operator still finds the detail, in the log.
    assert str(port) in caplog.text


def test_consumers_behind_are_reported_with_their_figures():
    check = _check("consumers", lambda: _raise(NotReady("consumers_behind", "chậm", lag=3)))
    assert check == {"ok": False, "reason": "consumers_behind", "message": "chậm", "lag": 3}


def _raise(err):
    raise err


def test_readiness_says_how_many_records_are_parked_by_kind_without_going_unready(tmp_path):
    from datetime import datetime

    from shared.clock import VIETNAM, FixedClock
    from shared.messaging.claims import Unprocessable
    from shared.messaging.parking import ParkingLot
    from shared.messaging.ports import Record
    from shared.persistence.engine import create_schema

    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    create_schema(engine)
    lot = ParkingLot(engine, "c", FixedClock(datetime(2026, 11, 20, 9, tzinfo=VIETNAM)))
    lot.park(Record("t", 0, 1, "k", b"x", {}), Unprocessable("not an envelope", kind="malformed"))
    lot.park(
        Record("t", 0, 2, "k", b"y", {}), Unprocessable("unknown", kind="unknown_type"), "skipped"
    )
    summary = _check("parked", lambda: _parked_summary(engine))
    assert summary == {"ok": True, "parked": 1, "skipped": 1, "parked_by_kind": {"malformed": 1}}
