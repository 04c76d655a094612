"""GET /api/v1/notifications: a unit reads its own, officials read their jurisdiction's."""

from __future__ import annotations

import pytest

from services.notification.entrypoints.api import create_app
from shared.auth import mint_token
from tests.unit.notification.feeding import YEAR, registered, returned, submitted

LISTED = {
    "notification_id",
    "unit_id",
    "year",
    "template",
    "channel",
    "recipient",
    "subject",
    "status",
    "attempts",
    "error",
    "cause_event_id",
    "cause_event_type",
    "created_at",
    "sent_at",
    "audience",
    "reminder_key",
    "next_attempt_at",
    "attempt_log",
}


@pytest.fixture
def client(feed, settings, clock, mail_settings, smtp, outbox_sender):
    """Two units in two districts: Lộc Thọ (Nha Trang, 2 notices), Cam Linh (Cam Ranh, 1)."""
    feed.unit()
    feed.unit("cam-linh", "Phường Cam Linh", "camlinh@example.vn", jurisdiction="cam-ranh")
    feed.emit("registration", "case-loc-tho-2026", registered())
    feed.emit("registration", "case-loc-tho-2026", submitted())
    feed.emit("registration", "case-cam-linh-2026", registered("cam-linh", "Phường Cam Linh"))
    outbox_sender.send_due()
    return create_app(settings, clock, mail_settings).test_client()


def get(client, settings, role, query="", **claims):
    token = mint_token(settings.jwt_secret, role, **claims)
    return client.get(f"/api/v1/notifications{query}", headers={"Authorization": f"Bearer {token}"})


def units_in(response):
    return sorted(n["unit_id"] for n in response.get_json())


def test_a_unit_user_reads_its_own_notifications_by_default(client, settings):
    r = get(client, settings, "unit", unit_id="loc-tho")
    assert r.status_code == 200
    body = r.get_json()
    assert [n["template"] for n in body] == ["registration_received", "dossier_received"]
    assert set(body[0]) == LISTED
    assert (body[0]["status"], body[0]["channel"], body[0]["year"]) == ("sent", "email", YEAR)
    [attempt] = body[0]["attempt_log"]
    assert (attempt["attempt"], attempt["outcome"], attempt["error"]) == (1, "sent", None)


def test_officials_ask_for_what_went_to_reviewers_and_approvers_about_a_unit(client, settings):
    r = get(
        client,
        settings,
        "reviewer",
        "?unit_id=loc-tho&audience=officials",
        jurisdiction="nha-trang",
    )
    assert [(n["audience"], n["template"]) for n in r.get_json()] == [
        ("reviewer", "dossier_queued")
    ]
    r = get(client, settings, "auditor", "?unit_id=loc-tho&audience=all", jurisdiction="khanh-hoa")
    assert len(r.get_json()) == 3


def test_a_unit_user_never_sees_what_went_to_officials(client, settings):
    r = get(client, settings, "unit", "?audience=officials", unit_id="loc-tho")
    assert {n["audience"] for n in r.get_json()} == {"unit"}


def test_a_unit_user_cannot_read_another_units_notifications(client, settings):
    r = get(client, settings, "unit", "?unit_id=cam-linh", unit_id="loc-tho")
    assert r.status_code == 403
    assert r.get_json()["code"] == 403


def test_a_reviewer_lists_only_the_units_of_their_jurisdiction(client, settings):
    r = get(client, settings, "reviewer", jurisdiction="nha-trang")
    assert r.status_code == 200
    assert units_in(r) == ["loc-tho", "loc-tho"]


def test_a_provincial_auditor_sees_every_district_below(client, settings):
    r = get(client, settings, "auditor", jurisdiction="khanh-hoa")
    assert units_in(r) == ["cam-linh", "loc-tho", "loc-tho"]


def test_an_official_asking_for_a_unit_outside_their_jurisdiction_is_refused(client, settings):
    r = get(client, settings, "approver", "?unit_id=cam-linh", jurisdiction="nha-trang")
    assert r.status_code == 403


@pytest.mark.parametrize("role", ["reviewer", "approver", "auditor", "admin"])
def test_every_official_role_reads_a_unit_of_their_jurisdiction(client, settings, role):
    r = get(client, settings, role, "?unit_id=cam-linh", jurisdiction="cam-ranh")
    assert r.status_code == 200 and units_in(r) == ["cam-linh"]


def test_the_year_filter_keeps_only_that_year(client, settings):
    assert get(client, settings, "unit", "?year=2026", unit_id="loc-tho").get_json() != []
    assert get(client, settings, "unit", "?year=2025", unit_id="loc-tho").get_json() == []


def test_a_failed_notification_shows_its_reason(client, settings, feed):
    feed.unit("vinh-hai", "Phường Vĩnh Hải", email="")
    feed.emit("review", "review-vinh-hai-2026", returned("vinh-hai"))
    r = get(client, settings, "unit", unit_id="vinh-hai")
    [note] = r.get_json()
    assert (note["status"], note["error"], note["sent_at"], note["attempt_log"]) == (
        "failed",
        "không có địa chỉ e-mail",
        None,
        [],
    )


def test_a_unit_not_yet_heard_of_has_been_sent_nothing(client, settings):
    r = get(client, settings, "reviewer", "?unit_id=not-yet-known", jurisdiction="cam-ranh")
    assert r.status_code == 200 and r.get_json() == []


def test_an_unknown_audience_is_refused_with_422(client, settings):
    r = get(client, settings, "auditor", "?audience=everyone", jurisdiction="khanh-hoa")
    assert r.status_code == 422 and "audience" in r.get_json()["errors"]["query"]


def test_without_a_token_the_list_is_refused_with_401(client):
    r = client.get("/api/v1/notifications")
    assert r.status_code == 401 and r.get_json()["status"] == "Unauthorized"


def test_a_year_that_is_not_a_number_is_refused_with_422(client, settings):
    r = get(client, settings, "unit", "?year=nam-nay", unit_id="loc-tho")
    assert r.status_code == 422 and "year" in r.get_json()["errors"]["query"]


def test_a_ward_official_reads_its_wards_notifications_and_not_another_wards(client, settings):
    # The kernel's one rule of reach, as in review: a commune-level scope reaches its commune.
    own = get(client, settings, "reviewer", "?unit_id=loc-tho", jurisdiction="loc-tho")
    assert own.status_code == 200 and units_in(own) == ["loc-tho", "loc-tho"]
    other = get(client, settings, "reviewer", "?unit_id=cam-linh", jurisdiction="loc-tho")
    assert other.status_code == 403


def test_an_official_of_the_ward_lo_tho_became_reads_its_notifications(client, settings):
    # Lộc Thọ became part of phường Nha Trang on 1/7/2025: the one reach rule, today's tree.
    own = get(client, settings, "reviewer", "?unit_id=loc-tho", jurisdiction="phuong-nha-trang")
    assert own.status_code == 200 and units_in(own) == ["loc-tho", "loc-tho"]
    listed = get(client, settings, "reviewer", "", jurisdiction="phuong-nha-trang")
    assert set(units_in(listed)) == {"loc-tho"}
    other = get(client, settings, "reviewer", "?unit_id=loc-tho", jurisdiction="bac-nha-trang")
    assert other.status_code == 403
