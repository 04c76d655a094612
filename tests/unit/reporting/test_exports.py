"""CSV and XLSX exports: the same figures as JSON, a manifest, and the same bytes again."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from services.reporting.entrypoints.api import create_app
from services.reporting.entrypoints.consumer import make_consumer
from shared.auth import mint_token
from shared.clock import FixedClock
from shared.config import Settings
from shared.messaging.ports import Record
from tests.unit.reporting.world import World, build_year, records

NOW = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)


@pytest.fixture
def world(tmp_path):
    settings = Settings(service="reporting", database_url=f"sqlite:///{tmp_path}/r.db")
    app = create_app(settings, FixedClock(NOW))
    rt = app.config["ANTT_RUNTIME"]
    year = build_year(60, communes=3)
    consumer = make_consumer(rt)
    recs = records(year.envelopes)
    # Hold the last 40 records back: they arrive after the first export.
    for rec in recs[:-40]:
        assert consumer.consume(rec) == "handled"
    return app, consumer, recs[-40:], year


def headers(app, role="auditor", jurisdiction="khanh-hoa"):
    secret = app.config["ANTT_SETTINGS"].jwt_secret
    return {"Authorization": f"Bearer {mint_token(secret, role, jurisdiction=jurisdiction)}"}


def get(app, url):
    resp = app.test_client().get(f"/api/v1{url}", headers=headers(app))
    assert resp.status_code == 200, resp.data[:500]
    return resp


def reproduce(app, manifest, fmt):
    body = {"manifest": manifest, "format": fmt}
    resp = app.test_client().post("/api/v1/reports/reproduce", json=body, headers=headers(app))
    assert resp.status_code == 200, resp.data[:500]
    return resp


def test_every_export_carries_a_manifest_of_log_positions_and_versions(world):
    app = world[0]
    manifest = get(app, "/reports/2025").json["manifest"]
    assert manifest["generator"] == "antt-reporting/report-1"
    assert manifest["catalogue_versions"] == ["tt124-2021-v1"]
    assert manifest["calendar_version"] == "tt124-2021-calendar-v1"
    # Notifications change no figure: the report reads (and names) the other two topics.
    assert set(manifest["log"]["positions"]) == {"antt.registration", "antt.review"}
    text = get(app, "/reports/2025?format=csv").data.decode("utf-8-sig")
    assert "Manifest (tái tạo báo cáo)" in text and "antt-reporting/report-1" in text


def test_the_same_manifest_reproduces_the_same_bytes_after_more_events_arrived(world):
    app, consumer, later, _ = world
    first = {fmt: get(app, f"/reports/2025?format={fmt}").data for fmt in ("json", "csv", "xlsx")}
    again = {fmt: get(app, f"/reports/2025?format={fmt}").data for fmt in ("json", "csv", "xlsx")}
    assert first == again
    manifest = get(app, "/reports/2025").json["manifest"]
    for rec in later:
        consumer.consume(rec)
    assert get(app, "/reports/2025").json["manifest"] != manifest
    for fmt in ("json", "csv", "xlsx"):
        assert reproduce(app, manifest, fmt).data == first[fmt], fmt


def test_a_manifest_from_another_generator_is_refused(world):
    app = world[0]
    manifest = get(app, "/reports/2025").json["manifest"] | {"generator": "antt-reporting/old"}
    resp = app.test_client().post(
        "/api/v1/reports/reproduce", json={"manifest": manifest}, headers=headers(app)
    )
    assert resp.status_code == 422
    assert "generator" in str(resp.json["errors"])


def test_the_workbook_is_a_provincial_summary_holding_the_json_figures(world):
    app = world[0]
    report = get(app, "/reports/2025").json
    resp = get(app, "/reports/2025?format=xlsx")
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames == [
        "Tổng hợp",
        "Theo xã, phường",
        "Tiêu chí không đạt",
        "Quyết định",
        "Đơn vị",
        "Manifest",
    ]
    ws = wb["Tổng hợp"]
    assert "AN TOÀN VỀ AN NINH, TRẬT TỰ NĂM 2025" in ws["A1"].value
    headings = [c.value for c in ws[5]]
    assert headings[:4] == ["STT", "Loại hình", "Tổng số đơn vị", "Đăng ký"]
    total = [c.value for c in ws[5 + len(report["by_unit_type"]) + 1]]
    assert total[1] == "Tổng cộng"
    totals = report["totals"]
    assert total[2:6] == [
        totals["listed"],
        totals["registered"],
        totals["registered_pct"],
        totals["dossiers_filed"],
    ]
    assert wb["Quyết định"].max_row == len(report["decisions"]) + 1
    assert wb["Đơn vị"].max_row == len(report["units"]) + 1
    communes = wb["Theo xã, phường"]
    cw4 = {communes.cell(r, 2).value: communes.cell(r, 20).value for r in range(6, 9)}
    assert cw4 == {c: v["registered_ratio"] for c, v in report["cw4_by_commune"].items()}


def test_the_csv_holds_the_json_figures(world):
    app = world[0]
    report = get(app, "/reports/2025").json
    rows = list(
        csv.reader(io.StringIO(get(app, "/reports/2025?format=csv").data.decode("utf-8-sig")))
    )
    total = next(r for r in rows if r and r[0] == "Tổng cộng")
    assert total[1:5] == [
        str(report["totals"][k])
        for k in ("listed", "registered", "registered_pct", "dossiers_filed")
    ]
    unit_rows = [r for r in rows if r and r[0].startswith(("dv-", "xa-")) and len(r) == 8]
    assert len(unit_rows) == len(report["units"])


def test_history_lists_every_event_of_the_unit_with_actor_time_and_cited_documents(world):
    app, _, _, year = world
    body = get(app, "/units/dv-0010/history?year=2025").json
    mine = [e for e in year.envelopes if e.unit_id == "dv-0010"]
    assert [e["event_id"] for e in body["events"]] == [e.event_id for e in mine]
    assert [e["event_type"] for e in body["events"]] == [
        "UnitAdded",
        "UnitRegistered",
        "NotificationSent",
        "DossierSubmitted",
    ]
    assert body["events"][1]["actor"] == {"sub": "user-dv-0010", "role": "unit"}
    assert body["events"][1]["hash"] == mine[1].hash
    cited = {d["kind"]: d for d in body["documents"]}
    assert set(cited) == {"registration_form", "proposal"}
    assert cited["registration_form"]["sha256"] == mine[1].payload["documents"][0]["sha256"]
    assert cited["registration_form"]["first_cited_by"] == mine[1].event_id
    assert body["events"][3]["documents"][0]["kind"] == "proposal"


def test_an_event_stamped_ahead_of_our_clock_is_in_the_report_of_now(world):
    app, consumer, _, _ = world
    ahead = World(year=2025, clock=NOW + timedelta(seconds=5))
    ahead.add_unit("dv-ahead", "school", "xa-0")
    [entry] = records(ahead.envelopes)
    consumer.consume(Record(entry.topic, entry.partition, 10_000, entry.key, entry.value, {}))
    report = get(app, "/reports/2025").json
    assert "dv-ahead" in {u["unit_id"] for u in report["units"]}
    assert report["as_of"] == ahead.envelopes[0].occurred_at
    past = get(app, "/reports/2025?as_of=2026-01-15T10:00:00%2B07:00").json
    assert "dv-ahead" not in {u["unit_id"] for u in past["units"]}
