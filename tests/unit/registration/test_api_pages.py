"""The directory a page at a time: `limit`, an opaque `cursor` and the `Link` header."""

import pytest

from services.registration.service_layer.demo import demo_data, load_demo
from tests.unit.paging import next_link, walk

# The demo's 2024 directory and the communes its two reorganisations formed (Tân Tiến, 4 wards).
NEW_COMMUNES = 5


def total():
    return len(demo_data()["units"]) + NEW_COMMUNES


@pytest.fixture
def demo(rt, build):
    load_demo(rt)
    return build


def test_the_directory_comes_50_at_a_time_by_default_with_a_link_to_the_rest(demo, client):
    first = demo.get("/units")
    assert first.status_code == 200
    assert len(first.json) == 50
    assert len(demo_data()["units"]) > 50
    assert "limit=" not in next_link(first)  # the next page asks again with what was asked
    rest = client.get(next_link(first), headers=demo.admin)
    assert len(rest.json) == total() - 50
    assert next_link(rest) is None


def test_following_the_links_visits_every_unit_once_in_name_order(demo, client):
    whole = demo.get("/units?limit=200").json
    bodies = walk(client, "/api/v1/units?limit=7", demo.admin)
    seen = [u["unit_id"] for body in bodies for u in body]
    assert seen == [u["unit_id"] for u in whole]
    assert len(set(seen)) == len(seen) == total()
    assert [len(b) for b in bodies[:-1]] == [7] * (len(bodies) - 1)


def test_the_filters_stay_on_every_page(demo, client):
    bodies = walk(client, "/api/v1/units?unit_type=commune&limit=5", demo.admin)
    communes = [u for body in bodies for u in body]
    assert len(communes) == 27 + NEW_COMMUNES
    assert {u["unit_type"] for u in communes} == {"commune"}


@pytest.mark.parametrize("limit", ["201", "0", "x"])
def test_a_limit_outside_1_to_200_is_refused_naming_limit(demo, limit):
    r = demo.get(f"/units?limit={limit}")
    assert r.status_code == 422
    assert "limit" in r.json["errors"]["query"]


@pytest.mark.parametrize("cursor", ["garbage", "W1td", "WyJhIiwxXQ", "%ED%A0%80"])
def test_a_garbage_cursor_is_a_422_naming_cursor(demo, cursor):
    r = demo.get(f"/units?cursor={cursor}")
    assert r.status_code == 422, r.json
    assert "cursor" in r.json["errors"]["query"]
