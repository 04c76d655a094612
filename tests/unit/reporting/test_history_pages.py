"""A unit's history a page at a time, and officials' mailboxes kept from unit users."""

import uuid
from datetime import datetime

import pytest

from services.reporting.entrypoints.api import create_app
from shared.clock import VIETNAM, FixedClock
from shared.config import Settings
from shared.events.notification import NotificationFailed, NotificationSent
from tests.unit.paging import next_link, walk
from tests.unit.reporting import events as ev
from tests.unit.reporting.feed import ADMIN, CLERK, Delivery, Producers
from tests.unit.reporting.test_api import YEAR, fed, get, token

SENDER = {"sub": "system:notification", "role": "system"}
OFFICIAL = "thamdinh.nhatrang@example.gov.vn"


@pytest.fixture
def world(tmp_path):
    """The reporting app, its runtime, the producers and the broker's side (as test_api's)."""
    clock = FixedClock(datetime(YEAR, 3, 1, 9, 0, tzinfo=VIETNAM))
    settings = Settings(service="reporting", database_url=f"sqlite:///{tmp_path}/reporting.db")
    app = create_app(settings, clock)
    rt = app.config["ANTT_RUNTIME"]
    return app, rt, Producers(f"sqlite:///{tmp_path}/producers.db", clock), Delivery(rt)


def notify(world, cause, template, recipient, failed=None):
    _, _, producers, delivery = world
    kind = NotificationFailed if failed else NotificationSent
    note = kind(str(uuid.uuid4()), "u1", YEAR, template, "email", recipient, cause.event_id)
    if failed:
        note = kind(**{**vars(note), "error": failed, "attempts": 3})
    env = producers.append("notification", f"notification-{note.notification_id}", note, SENDER)
    assert delivery.deliver(env) == ["handled"]
    return env


@pytest.fixture
def told(world):
    """u1's case with what notification sent: to the unit, and to the city's reviewers."""
    envs = fed(world)
    submitted = envs["case"][1]
    notify(world, submitted, "dossier_received", "u1@example.vn")
    notify(world, submitted, "dossier_queued", OFFICIAL)
    notify(world, submitted, "dossier_queued", "lanh.dao@example.gov.vn", f"550 {OFFICIAL} full")
    return envs


def notes(body):
    return [e["payload"] for e in body["events"] if e["event_type"].startswith("Notification")]


def test_a_unit_reads_its_own_mailbox_but_never_an_officials(told, world):
    body = get(world[0], "/units/u1/history", role="unit", unit_id="u1").json
    own, to_official, failed = notes(body)
    assert own["recipient"] == "u1@example.vn"
    assert OFFICIAL not in str(body) and "lanh.dao" not in str(body)
    assert to_official["recipient"] == failed["recipient"] == "(ẩn: hộp thư của cán bộ)"
    assert failed["error"] == "(ẩn: hộp thư của cán bộ)"
    assert to_official["template"] == "dossier_queued"  # the step itself is not hidden


@pytest.mark.parametrize("role", ["reviewer", "approver", "auditor", "admin"])
def test_officials_read_every_mailbox(told, world, role):
    body = get(world[0], "/units/u1/history", role=role).json
    recipients = [n["recipient"] for n in notes(body)]
    assert recipients == ["u1@example.vn", OFFICIAL, "lanh.dao@example.gov.vn"]
    assert notes(body)[2]["error"] == f"550 {OFFICIAL} full"


def test_an_address_the_unit_had_before_a_change_is_still_its_own(world):
    _, _, producers, delivery = world
    added = producers.append("registration", "unit-u1", ev.unit_added("u1"), ADMIN)
    moved = ev.unit_updated("u1", "loc-tho")
    moved = type(moved)(**{**vars(moved), "contact_email": "moi.u1@example.vn"})
    assert delivery.deliver(added, producers.append("registration", "unit-u1", moved, ADMIN))
    notify(world, added, "registration_received", "U1@example.vn")
    body = get(world[0], "/units/u1/history", role="unit", unit_id="u1").json
    assert [n["recipient"] for n in notes(body)] == ["U1@example.vn"]


@pytest.fixture
def long_story(world):
    """u1 with 61 events: its entry, then 30 changes to it between a registration and 29
    dossier revisions."""
    _, _, producers, delivery = world
    reg = lambda stream, e, who=CLERK: producers.append("registration", stream, e, who)  # noqa: E731
    envs = [reg("unit-u1", ev.unit_added("u1"), ADMIN)]
    steps = [ev.registered("u1"), *(ev.submitted("u1", n) for n in range(1, 30))]
    for step in steps:
        envs.append(reg("unit-u1", ev.unit_updated("u1", "loc-tho"), ADMIN))
        envs.append(reg(f"case-u1-{YEAR}", step))
    assert set(delivery.deliver(*envs)) == {"handled"}
    return [e.event_id for e in envs]


def test_the_history_comes_50_events_at_a_time_with_a_link_to_the_rest(long_story, world):
    app = world[0]
    first = get(app, "/units/u1/history")
    assert [e["event_id"] for e in first.json["events"]] == long_story[:50]
    assert set(first.json) == {"unit_id", "year", "events", "documents", "lineage", "formed_from"}
    rest = app.test_client().get(
        next_link(first), headers=token(app, "admin", jurisdiction="nha-trang")
    )
    assert [e["event_id"] for e in rest.json["events"]] == long_story[50:]
    assert next_link(rest) is None


@pytest.mark.parametrize("limit", [1, 7, 200])
def test_following_the_links_visits_each_event_once_in_story_order(long_story, world, limit):
    app = world[0]
    who = token(app, "unit", unit_id="u1")
    bodies = walk(app.test_client(), f"/api/v1/units/u1/history?limit={limit}", who)
    assert [e["event_id"] for b in bodies for e in b["events"]] == long_story
    assert all(len(b["events"]) == limit for b in bodies[:-1])


def test_a_limit_above_200_or_a_cursor_of_another_list_is_refused(long_story, world):
    assert get(world[0], "/units/u1/history?limit=201").status_code == 422
    r = get(world[0], "/units/u1/history?cursor=WzIwMjUsInUxIl0")  # [2025, "u1"]: /cases'
    assert r.status_code == 422 and "cursor" in r.json["errors"]["query"]


def test_history_pages_are_refused_to_other_units(long_story, world):
    r = get(world[0], "/units/u1/history?limit=2", role="unit", unit_id="u2")
    assert r.status_code == 403
