"""A command whose event would be larger than the configured maximum is refused with 413
naming the field, and nothing is stored: no event the broker would refuse is ever written."""

import pytest

from services.registration.entrypoints.api import create_app
from tests.unit.registration.builders import Builder


@pytest.fixture
def small(settings, clock, token):
    app = create_app(settings.but(max_event_bytes=3000), clock)
    client = app.test_client()
    builder = Builder(client, token, clock)
    builder.rt = app.config["ANTT_RUNTIME"]
    return builder


def events_stored(rt) -> int:
    import sqlalchemy as sa

    with rt.engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM events")).scalar()


def test_a_registration_whose_event_is_too_large_gets_413_naming_the_field(small):
    small.campaign()
    small.commune()
    small.unit("kdc-1")
    body = small.registration_body("kdc-1")
    body["figures"] |= {f"chi_tieu_bo_sung_{n:02d}_" + "x" * 60: n for n in range(40)}
    before = events_stored(small.rt)
    r = small.post("/registrations", body)
    assert r.status_code == 413, r.json
    assert "figures" in r.json["errors"] and "figures" in r.json["message"]
    assert events_stored(small.rt) == before


def test_figures_take_a_bounded_number_of_keys(build):
    build.campaign()
    build.commune()
    build.unit("kdc-1")
    body = build.registration_body("kdc-1")
    body["figures"] = {f"k{n}": n for n in range(51)}
    r = build.post("/registrations", body)
    assert r.status_code == 422 and "figures" in r.json["errors"], r.json
