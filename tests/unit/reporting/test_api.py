"""The reporting API over events fed through the real consumer on SQLite."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from services.reporting.adapters.tables import event_log, units
from services.reporting.entrypoints.api import create_app
from shared.auth import mint_token
from shared.clock import VIETNAM, FixedClock, iso_utc
from shared.config import Settings
from tests.unit.reporting import events as ev
from tests.unit.reporting.feed import ADMIN, APPROVER, CLERK, REVIEWER, Delivery, Producers

YEAR = ev.YEAR


@pytest.fixture
def world(tmp_path):
    clock = FixedClock(datetime(YEAR, 3, 1, 9, 0, tzinfo=VIETNAM))
    settings = Settings(service="reporting", database_url=f"sqlite:///{tmp_path}/reporting.db")
    app = create_app(settings, clock)
    rt = app.config["ANTT_RUNTIME"]
    return app, rt, Producers(f"sqlite:///{tmp_path}/producers.db", clock), Delivery(rt)


def full_path(producers: Producers) -> dict:
    """u1 goes all the way to recognition; u2 never registers; u3 lies in Cam Ranh."""
    reg = lambda stream, e, who=CLERK: producers.append("registration", stream, e, who)  # noqa: E731
    rev = lambda e, who=REVIEWER: producers.append("review", "review-u1-2025", e, who)  # noqa: E731
    case = f"case-u1-{YEAR}"
    return {
        "directory": [
            reg("unit-u1", ev.unit_added("u1"), ADMIN),
            reg("unit-u2", ev.unit_added("u2", "vinh-hai"), ADMIN),
            reg("unit-u3", ev.unit_added("u3", "cam-linh", where="cam-ranh"), ADMIN),
        ],
        "case": [
            reg(case, ev.registered("u1")),
            reg(case, ev.submitted("u1")),
            rev(ev.returned("u1")),
            reg(case, ev.submitted("u1", 2)),
            rev(ev.recommended("u1", revision=2)),
            rev(ev.decided("u1"), APPROVER),
        ],
    }


def fed(world) -> dict:
    _, _, producers, delivery = world
    envs = full_path(producers)
    # Topics are not ordered among themselves: all of registration first, then review.
    by_topic = sorted(envs["directory"] + envs["case"], key=lambda e: e.producer)
    assert set(delivery.deliver(*by_topic)) == {"handled"}
    return envs


def token(app, role, **claims):
    secret = app.config["ANTT_SETTINGS"].jwt_secret
    return {"Authorization": f"Bearer {mint_token(secret, role, **claims)}"}


def get(app, url, role="approver", **claims):
    claims.setdefault("jurisdiction", None if role == "unit" else "nha-trang")
    return app.test_client().get(f"/api/v1{url}", headers=token(app, role, **claims))


def test_full_path_shows_the_unit_recognised_in_the_report(world):
    fed(world)
    app = world[0]
    resp = get(app, f"/reports/{YEAR}")
    assert resp.status_code == 200, resp.json
    body = resp.json
    statuses = {u["unit_id"]: u["status"] for u in body["units"]}
    assert statuses == {"u1": "recognized", "u2": "not_registered"}
    assert body["totals"]["recognized"] == 1
    assert body["totals"]["recognized_pct"] == "50.00"
    assert body["totals"]["returned"] == 1
    [decision] = body["decisions"]
    assert (decision["decision_number"], decision["signer"]) == ("123/QĐ-UBND", "approver-1")


def test_a_report_as_of_before_the_decision_shows_the_recommendation(world):
    envs = fed(world)
    decision_moment = datetime.fromisoformat(envs["case"][-1].occurred_at)
    # Written as officials do, in Vietnam time without an offset: a minute before the decision.
    as_of = (decision_moment - timedelta(minutes=1)).astimezone(VIETNAM).replace(tzinfo=None)
    resp = get(world[0], f"/reports/{YEAR}?as_of={as_of.isoformat()}")
    assert resp.status_code == 200, resp.json
    statuses = {u["unit_id"]: u["status"] for u in resp.json["units"]}
    assert statuses["u1"] == "recommended"
    assert resp.json["decisions"] == []


def test_a_report_can_be_limited_to_one_commune(world):
    fed(world)
    resp = get(world[0], f"/reports/{YEAR}?commune_code=vinh-hai")
    assert [u["unit_id"] for u in resp.json["units"]] == ["u2"]


def test_the_csv_report_has_vietnamese_headings_one_row_per_unit_and_totals(world):
    fed(world)
    resp = get(world[0], f"/reports/{YEAR}?format=csv", role="auditor")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    text = resp.data.decode("utf-8-sig")
    assert "Mã đơn vị,Tên đơn vị,Loại hình,Mã xã/phường,Trạng thái,Số quyết định" in text
    # Filed under Lộc Thọ; the 2025 report places it where it stood on 15/11/2025.
    assert "u1,Khu dân cư u1,Khu dân cư,phuong-nha-trang,Được công nhận,123/QĐ-UBND" in text
    assert "Tỷ lệ được công nhận (%),50.00" in text


def test_a_unit_user_may_not_read_reports(world):
    resp = get(world[0], f"/reports/{YEAR}", role="unit", unit_id="u1")
    assert resp.status_code == 403


def test_a_bad_as_of_is_refused_with_the_field_named(world):
    resp = get(world[0], f"/reports/{YEAR}?as_of=yesterday")
    assert resp.status_code == 422
    assert "as_of" in str(resp.json["errors"])


def test_history_lists_the_units_events_in_the_order_they_happened(world):
    envs = fed(world)
    resp = get(world[0], f"/units/u1/history?year={YEAR}", role="unit", unit_id="u1")
    assert resp.status_code == 200, resp.json
    events = resp.json["events"]
    expected = [envs["directory"][0], *envs["case"]]
    assert [e["event_id"] for e in events] == [env.event_id for env in expected]
    assert [e["event_type"] for e in events] == [
        "UnitAdded",
        "UnitRegistered",
        "DossierSubmitted",
        "DossierReturned",
        "DossierSubmitted",
        "RecommendationMade",
        "RecognitionDecided",
    ]
    assert events[-1]["actor"] == APPROVER
    assert events[-1]["payload"]["decision_number"] == "123/QĐ-UBND"


def test_history_is_refused_to_other_units_and_other_jurisdictions(world):
    fed(world)
    app = world[0]
    assert get(app, "/units/u1/history", role="unit", unit_id="u2").status_code == 403
    assert get(app, "/units/u1/history", jurisdiction="cam-ranh").status_code == 403
    assert get(app, "/units/u1/history", jurisdiction="khanh-hoa").status_code == 200
    assert get(app, "/units/nobody/history").status_code == 404


def test_the_audit_verifies_an_untouched_log(world):
    fed(world)
    resp = get(world[0], f"/audit/verify?year={YEAR}", role="auditor")
    assert resp.status_code == 200, resp.json
    assert resp.json == {"ok": True, "events": 6, "streams": 2, "problems": []}
    everything = get(world[0], "/audit/verify", role="admin").json
    assert (everything["ok"], everything["events"], everything["streams"]) == (True, 9, 5)


def test_the_audit_finds_a_stored_event_altered_after_the_fact(world):
    envs = fed(world)
    app, rt = world[0], world[1]
    target = envs["case"][1]
    with rt.engine.begin() as conn:
        conn.execute(
            event_log.update()
            .where(event_log.c.event_id == target.event_id)
            .values(envelope=target.to_bytes().decode().replace('"revision":1', '"revision":7'))
        )
    result = get(app, "/audit/verify", role="auditor").json
    assert not result["ok"]
    assert [(p["stream_id"], p["stream_version"], p["problem"]) for p in result["problems"]] == [
        (target.stream_id, 2, "hash_mismatch")
    ]


def test_only_auditors_and_admins_may_verify(world):
    assert get(world[0], "/audit/verify", role="reviewer").status_code == 403


def test_a_redelivered_record_changes_nothing(world):
    envs = fed(world)
    app, rt, _, delivery = world
    before = get(app, f"/reports/{YEAR}?as_of=2030-01-01T00:00:00Z").json
    with rt.engine.connect() as conn:
        rows_before = conn.execute(sa.select(sa.func.count()).select_from(event_log)).scalar()
    assert delivery.deliver(envs["case"][-1], envs["directory"][0]) == ["duplicate", "duplicate"]
    with rt.engine.connect() as conn:
        rows_after = conn.execute(sa.select(sa.func.count()).select_from(event_log)).scalar()
    assert rows_after == rows_before == 9
    assert get(app, f"/reports/{YEAR}?as_of=2030-01-01T00:00:00Z").json == before


def test_a_directory_update_shows_now_but_not_in_a_report_as_of_before_it(world):
    fed(world)
    app, rt, producers, delivery = world
    before_update = producers.clock.now() - timedelta(seconds=1)
    update = producers.append("registration", "unit-u2", ev.unit_updated("u2", "phuoc-hai"), ADMIN)
    assert delivery.deliver(update) == ["handled"]
    communes = lambda body: {u["unit_id"]: u["commune_code"] for u in body["units"]}  # noqa: E731
    # The 2025 report places each unit in its ward as it stood on 15/11/2025 (two tiers).
    assert communes(get(app, f"/reports/{YEAR}").json)["u2"] == "nam-nha-trang"  # Phước Hải
    past = get(app, f"/reports/{YEAR}?as_of={iso_utc(before_update)}").json
    assert communes(past)["u2"] == "bac-nha-trang"  # Vĩnh Hải
    with rt.engine.connect() as conn:
        row = conn.execute(sa.select(units).where(units.c.unit_id == "u2")).one()
    assert row.commune_code == "phuoc-hai"


def test_a_year_outside_2000_to_2100_is_refused_with_the_field_named(world):
    resp = get(world[0], "/reports/1980")
    assert resp.status_code == 422
    assert "year" in resp.json["errors"]


def test_a_units_history_shows_its_lineage_and_a_ward_official_of_today_reads_it(world):
    fed(world)
    app = world[0]
    ward = get(app, "/units/u1/history", jurisdiction="phuong-nha-trang")  # Lộc Thọ's successor
    assert ward.status_code == 200, ward.json
    assert [line["text"] for line in ward.json["lineage"]] == [
        "trước 01/07/2025: Phường Lộc Thọ",
        "từ 01/07/2025: Phường Nha Trang",
    ]
    assert get(app, "/units/u1/history", jurisdiction="bac-nha-trang").status_code == 403
    # The ward official's report covers the units of its old wards.
    report = get(app, f"/reports/{YEAR}", jurisdiction="phuong-nha-trang")
    assert report.status_code == 200, report.json
    assert "u1" in {u["unit_id"] for u in report.json["units"]}


def test_each_years_report_places_units_in_the_structure_of_its_own_window():
    from services.reporting.domain.report import Unit
    from services.reporting.service_layer.reports import _as_they_stood
    from shared.jurisdictions import Jurisdictions

    tree = Jurisdictions.load()
    units = [
        Unit("kdc-1", "Khu dân cư 1", "residential_area", "xuong-huan", "nha-trang"),
        Unit("xuong-huan", "Phường Xương Huân", "commune", "xuong-huan", "nha-trang", "district"),
        Unit("phuong-nha-trang", "Phường Nha Trang", "commune", "phuong-nha-trang", "khanh-hoa"),
    ]
    placed = lambda year: {u.unit_id: u.commune_code for u in _as_they_stood(tree, units, year)}  # noqa: E731
    assert placed(2024) == {"kdc-1": "van-thanh"}  # merged 1/11/2024; the new ward not yet
    assert placed(2023) == {"kdc-1": "xuong-huan", "xuong-huan": "xuong-huan"}
    assert placed(2026) == {"kdc-1": "phuong-nha-trang", "phuong-nha-trang": "phuong-nha-trang"}
