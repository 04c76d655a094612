"""The case queue a page at a time: newest year first, each case once, `limit` capped at 200."""

import pytest

from shared.http import pages
from tests.unit.paging import next_link, walk

IN_SCOPE = [f"kdc-{n:02d}" for n in range(30)]
ELSEWHERE = ["cr-1", "cr-2"]


@pytest.fixture
def queue(feed):
    """55 cases in Nha Trang (30 of 2025, 25 of 2024) among 2 of Cam Ranh's."""
    for unit_id in IN_SCOPE:
        feed.submitted_case(unit_id)
    for unit_id in IN_SCOPE[:25]:
        feed.register(unit_id, 2024)
    for unit_id in ELSEWHERE:
        feed.submitted_case(unit_id, jurisdiction="cam-ranh")
    expected = [(2025, u) for u in IN_SCOPE] + [(2024, u) for u in IN_SCOPE[:25]]
    return expected


@pytest.fixture
def reviewer(token):
    return token("reviewer", "officer-1")


def keys(cases):
    return [(c["year"], c["unit_id"]) for c in cases]


def test_the_queue_comes_50_at_a_time_by_default_with_a_link_to_the_rest(queue, client, reviewer):
    first = client.get("/api/v1/cases", headers=reviewer)
    assert keys(first.get_json()) == queue[:50]
    rest = client.get(next_link(first), headers=reviewer)
    assert keys(rest.get_json()) == queue[50:]
    assert next_link(rest) is None


@pytest.mark.parametrize("limit", [1, 7, 200])
def test_following_the_links_visits_each_case_of_the_jurisdiction_once(
    queue, client, reviewer, limit
):
    bodies = walk(client, f"/api/v1/cases?limit={limit}", reviewer)
    assert keys([c for body in bodies for c in body]) == queue
    assert all(len(body) == limit for body in bodies[:-1])


def test_the_filters_apply_on_every_page(queue, client, reviewer):
    bodies = walk(client, "/api/v1/cases?year=2024&limit=3", reviewer)
    assert keys([c for body in bodies for c in body]) == [k for k in queue if k[0] == 2024]


def test_a_limit_above_200_and_a_cursor_of_another_list_are_refused(queue, client, reviewer):
    too_many = client.get("/api/v1/cases?limit=201", headers=reviewer)
    assert too_many.status_code == 422
    assert "limit" in too_many.get_json()["errors"]["query"]
    units_cursor = pages.encode(("Phường Vĩnh Hải", "vinh-hai"))  # a /units cursor
    forged = client.get(f"/api/v1/cases?cursor={units_cursor}", headers=reviewer)
    assert forged.status_code == 422
    assert "cursor" in forged.get_json()["errors"]["query"]
