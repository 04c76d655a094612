"""The yearly campaign: Circular defaults, admin edits before a date passes, an event each."""

from datetime import UTC, date, datetime, timedelta

import pytest

from services.registration.adapters.rules import calendar_rules
from services.registration.domain import campaign
from services.registration.domain.errors import Invalid


def test_defaults_come_from_the_circular():
    dates = campaign.default_dates(2026, calendar_rules())
    assert dates == {
        "period_start": date(2025, 11, 16),
        "period_end": date(2026, 11, 15),
        "ra_period_start": date(2025, 11, 1),
        "ra_period_end": date(2026, 10, 31),
        "registration_deadline": date(2026, 3, 31),
        "dossier_deadline": date(2026, 11, 30),
    }


def test_the_dossier_window_opens_the_day_after_the_period_of_the_units_type():
    [event] = campaign.schedule(None, 2026, {}, date(2026, 1, 5), calendar_rules())
    state = campaign.fold([event])
    assert state.dossier_window("residential_area") == (date(2026, 11, 1), date(2026, 11, 30))
    assert state.dossier_window("school") == (date(2026, 11, 16), date(2026, 11, 30))


def test_a_date_that_has_passed_cannot_change_and_nor_can_one_move_into_the_past():
    rules = calendar_rules()
    first = campaign.fold(campaign.schedule(None, 2026, {}, date(2026, 1, 5), rules))
    with pytest.raises(Invalid) as err:
        campaign.schedule(
            first, 2026, {"period_start": date(2025, 11, 20)}, date(2026, 1, 5), rules
        )
    assert "period_start" in err.value.errors
    with pytest.raises(Invalid):
        late = {"registration_deadline": date(2026, 1, 2)}
        campaign.schedule(first, 2026, late, date(2026, 1, 5), rules)
    moved = campaign.schedule(
        first, 2026, {"registration_deadline": date(2026, 4, 15)}, date(2026, 1, 5), rules
    )
    assert moved[0].registration_deadline == date(2026, 4, 15)


def test_dates_out_of_order_are_refused():
    with pytest.raises(Invalid) as err:
        campaign.schedule(
            None, 2026, {"dossier_deadline": date(2026, 11, 10)}, date(2026, 1, 5), calendar_rules()
        )
    assert "dossier_deadline" in err.value.errors


def test_over_http_only_an_admin_sets_it_and_every_change_is_a_campaign_scheduled_event(
    build, token, rt
):
    assert build.post("/campaigns/2026", {}, token("reviewer")).status_code == 403
    assert build.get("/campaigns/2026").status_code == 404
    first = build.campaign()
    assert first["registration_deadline"] == "2026-03-31"
    second = build.campaign(dossier_deadline="2026-12-15")
    assert (second["dossier_deadline"], second["version"]) == ("2026-12-15", 2)
    unchanged = build.campaign(dossier_deadline="2026-12-15")
    assert unchanged["version"] == 2
    r = build.post("/campaigns/2026", {"registration_deadline": "2026-02-01"})
    assert r.status_code == 422
    assert build.get("/campaigns/2026", build.as_unit("x")).json["dossier_deadline"] == "2026-12-15"
    with rt.engine.connect() as conn:
        envs = rt.store.load(conn, "campaign-2026")
    assert [e.event_type for e in envs] == ["CampaignScheduled", "CampaignScheduled"]


def test_vietnam_time_decides_the_day(build, clock):
    build.campaign()
    build.commune()
    build.unit("kdc-1")
    build.unit("kdc-2")
    # 16:30 UTC on 31/03 is 23:30 in Vietnam: still on time.
    clock.advance(datetime(2026, 3, 31, 16, 30, tzinfo=UTC) - clock.now())
    assert build.register("kdc-1").status_code == 201
    # 17:30 UTC on 31/03 is already 01/04 in Vietnam: late.
    clock.advance(timedelta(hours=1))
    assert build.register("kdc-2").status_code == 422
