"""Registration's events reach review through the idempotent consumer, once and in order."""

from datetime import date

import sqlalchemy as sa

from services.review.adapters import repository as repo
from services.review.adapters.tables import case_timeline, units
from shared.events.registration import UnitUpdated


def rows(rt, table):
    with rt.engine.connect() as conn:
        return conn.execute(sa.select(table)).all()


def test_unit_added_and_updated_keep_the_directory_projection(rt, feed):
    feed.add_unit("kdc-1")
    renamed = UnitUpdated(**{**feed.units["kdc-1"].__dict__, "name": "Tổ dân phố mới"})
    feed.emit("unit-kdc-1", renamed, {"sub": "admin-1", "role": "admin"})
    [row] = rows(rt, units)
    assert (row.name, row.jurisdiction, row.managing_level) == (
        "Tổ dân phố mới",
        "nha-trang",
        "commune",
    )
    assert rows(rt, case_timeline) == []


def test_registration_and_dossier_enter_the_case_timeline_in_arrival_order(rt, feed):
    feed.add_unit("kdc-1")
    reg, _ = feed.register("kdc-1", 2025)
    dossier, _ = feed.submit("kdc-1", 2025)
    timeline = rows(rt, case_timeline)
    assert [(r.event_id, r.event_type, r.year) for r in timeline] == [
        (reg.event_id, "UnitRegistered", 2025),
        (dossier.event_id, "DossierSubmitted", 2025),
    ]
    assert timeline[1].actor == {"sub": "clerk-1", "role": "unit"}
    assert timeline[1].payload["revision"] == 1


def test_a_redelivered_event_is_applied_once(rt, feed):
    feed.add_unit("kdc-1")
    reg, outcome = feed.register("kdc-1", 2025)
    assert outcome == "handled"
    assert feed.deliver(reg) == "duplicate"
    assert len(rows(rt, case_timeline)) == 1


def test_a_registration_fills_in_a_unit_review_has_not_seen_added(rt, feed):
    feed.add_unit("kdc-1")
    with rt.engine.begin() as conn:
        conn.execute(units.delete())
    feed.register("kdc-1", 2025)
    [row] = rows(rt, units)
    assert (row.unit_id, row.unit_type, row.jurisdiction) == (
        "kdc-1",
        "residential_area",
        "nha-trang",
    )


def test_the_years_campaign_sets_the_evaluation_periods_review_counts_incidents_in(rt, feed):
    feed.campaign(2025, ra_period_start=date(2024, 12, 1))
    feed.campaign(2025, ra_period_start=date(2024, 11, 15))  # a later change replaces it
    with rt.engine.connect() as conn:
        dates = repo.campaign_dates(conn, 2025)
        assert repo.campaign_dates(conn, 2024) is None
    assert (dates["ra_period_start"], dates["period_end"]) == (
        date(2024, 11, 15),
        date(2025, 11, 15),
    )
