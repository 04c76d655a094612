"""GET /api/v1/notifications a page at a time: oldest first, each notification once."""

from __future__ import annotations

import pytest

from services.notification.entrypoints.api import create_app
from shared.auth import mint_token
from tests.unit.notification.feeding import registered, submitted
from tests.unit.paging import next_link, walk

NHA_TRANG = [f"kdc-{n:02d}" for n in range(20)]


@pytest.fixture
def client(feed, settings, clock, mail_settings):
    """20 Nha Trang units registered and submitted (60 notifications in all: 40 to the units,
    20 to reviewers, the two of a submission made at one moment) and one Cam Ranh unit."""
    for unit_id in NHA_TRANG:
        feed.unit(unit_id, f"Tổ dân phố {unit_id}", f"{unit_id}@example.vn")
        feed.emit("registration", f"case-{unit_id}-2026", registered(unit_id, unit_id))
        feed.emit("registration", f"case-{unit_id}-2026", submitted(unit_id))
    feed.unit("cam-linh", "Phường Cam Linh", "camlinh@example.vn", jurisdiction="cam-ranh")
    feed.emit("registration", "case-cam-linh-2026", registered("cam-linh", "Phường Cam Linh"))
    return create_app(settings, clock, mail_settings).test_client()


@pytest.fixture
def reviewer(settings):
    token = mint_token(settings.jwt_secret, "reviewer", jurisdiction="nha-trang")
    return {"Authorization": f"Bearer {token}"}


def ids(notes):
    return [n["notification_id"] for n in notes]


def test_notifications_come_50_at_a_time_by_default_with_a_link_to_the_rest(client, reviewer):
    first = client.get("/api/v1/notifications?audience=all", headers=reviewer)
    assert len(first.get_json()) == 50
    rest = client.get(next_link(first), headers=reviewer)
    assert len(rest.get_json()) == 10 and next_link(rest) is None
    assert {n["unit_id"] for n in first.get_json() + rest.get_json()} == set(NHA_TRANG)


@pytest.mark.parametrize("limit", [1, 7])
def test_following_the_links_visits_each_notification_once_in_order(client, reviewer, limit):
    whole = client.get("/api/v1/notifications?audience=all&limit=200", headers=reviewer)
    assert next_link(whole) is None
    bodies = walk(client, f"/api/v1/notifications?audience=all&limit={limit}", reviewer)
    seen = [n for body in bodies for n in body]
    assert ids(seen) == ids(whole.get_json())
    assert len(set(ids(seen))) == 60
    assert [n["created_at"] for n in seen] == sorted(n["created_at"] for n in seen)


def test_a_unit_pages_through_its_own_only(client, settings):
    token = mint_token(settings.jwt_secret, "unit", unit_id="kdc-03")
    bodies = walk(client, "/api/v1/notifications?limit=1", {"Authorization": f"Bearer {token}"})
    assert [[n["template"] for n in body] for body in bodies] == [
        ["registration_received"],
        ["dossier_received"],
    ]


@pytest.mark.parametrize("query", ["limit=201", "limit=0", "cursor=WzFd", "cursor=%00"])
def test_a_limit_outside_1_to_200_or_a_foreign_cursor_is_refused(
    settings, clock, mail_settings, reviewer, query
):
    client = create_app(settings, clock, mail_settings).test_client()
    r = client.get(f"/api/v1/notifications?{query}", headers=reviewer)
    assert r.status_code == 422
    assert query.split("=")[0] in r.get_json()["errors"]["query"]
