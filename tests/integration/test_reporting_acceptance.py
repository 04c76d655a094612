"""Acceptance of reporting on the real broker and PostgreSQL, with its real consumer process.

A year of 500 units on every lifecycle path is produced as sealed envelopes onto the three
topics by a real producer; reporting's consumer process reads them like any other events.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from services.reporting.adapters import repository as repo
from services.reporting.adapters.tables import LIVE, metadata
from services.reporting.entrypoints.api import create_app
from shared.auth import mint_token
from shared.broker import EmbeddedBroker, free_port
from shared.clock import FixedClock
from shared.config import Settings
from shared.events import TOPICS
from shared.messaging.kafka import KafkaPublisher
from shared.messaging.ports import Outgoing
from shared.persistence import migrate
from tests.e2e.client import wait_until
from tests.integration import reporting_tally
from tests.unit.reporting.world import World, build_year, key_of

pytestmark = pytest.mark.integration
YEAR, NOW = 2025, datetime(2026, 1, 15, 3, 0, tzinfo=UTC)


def publish(bootstrap: str, envelopes) -> None:
    publisher = KafkaPublisher(bootstrap, {}, "acceptance-producer", partitions=3)
    publisher.ensure_topics(list(TOPICS.values()))
    for producer, topic in TOPICS.items():
        mine = [e for e in envelopes if e.producer == producer]
        for start in range(0, len(mine), 500):
            batch = [
                Outgoing(key_of(e), e.to_bytes(), {"event_id": e.event_id})
                for e in mine[start : start + 500]
            ]
            publisher.publish(topic, batch)
    publisher.close()


@pytest.fixture(scope="module")
def acceptance(pg, tmp_path_factory):
    logs = tmp_path_factory.mktemp("reporting-acceptance")
    broker = EmbeddedBroker(free_port(), logs / "broker.log").start()
    url = pg.new("reporting_acc")
    env = {
        **os.environ,
        "ANTT_REPORTING_DATABASE_URL": url,
        "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        "ANTT_TOPIC_PARTITIONS": "3",
    }
    world = build_year(500)
    publish(broker.bootstrap, world.envelopes)
    log = open(logs / "consumer.log", "ab")  # noqa: SIM115
    consumer = subprocess.Popen(
        [sys.executable, "-m", "services.reporting.entrypoints.consumer"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    app = create_app(Settings(service="reporting", database_url=url), FixedClock(NOW))
    rt = app.config["ANTT_RUNTIME"]
    try:
        wait_until(
            lambda: stored_count(rt) == len(world.envelopes),
            f"the consumer process to store {len(world.envelopes)} events",
            timeout_s=180,
        )
        yield {"app": app, "rt": rt, "world": world, "env": env}
    finally:
        consumer.terminate()
        consumer.wait(30)
        log.close()
        rt.engine.dispose()
        broker.stop()


def stored_count(rt) -> int:
    with rt.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(LIVE.event_log)).scalar()


def get(app, url, role="auditor"):
    secret = app.config["ANTT_SETTINGS"].jwt_secret
    token = mint_token(secret, role, jurisdiction="khanh-hoa")
    resp = app.test_client().get(f"/api/v1{url}", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.data[:500]
    return resp


def antt(env, *args) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "shared.cli", "reporting", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def test_the_report_equals_an_independent_count_of_the_raw_events(acceptance):
    report = get(acceptance["app"], f"/reports/{YEAR}").json
    wires = [e.to_wire() for e in acceptance["world"].envelopes]
    want = reporting_tally.expected(wires, YEAR)
    assert report["totals"] == want["totals"]
    assert report["by_unit_type"] == want["by_unit_type"]
    assert report["by_commune"] == want["by_commune"]
    got_cw4 = {
        c: {k: v[k] for k in ("registered_ratio", "recognized_ratio", "meets")}
        for c, v in report["cw4_by_commune"].items()
    }
    assert got_cw4 == want["cw4"]
    assert report["failures_by_criterion"] == want["failures"]
    got = sorted((d["unit_id"], d["decision_number"], d["signer"]) for d in report["decisions"])
    assert got == want["decisions"]
    # Every path is there: the figures are not a trivial year.
    assert min(report["totals"][k] for k in ("never_registered", "no_dossier", "annulled")) > 0


def test_as_of_just_before_and_at_a_decision_differ_by_exactly_that_decision(acceptance):
    app, world = acceptance["app"], acceptance["world"]
    decision = next(
        e for e in world.envelopes if e.event_type == "RecognitionDecided" and e.unit_id > "dv-01"
    )
    at = datetime.fromisoformat(decision.occurred_at)
    just_before = quote((at - timedelta(microseconds=1)).isoformat())
    before = get(app, f"/reports/{YEAR}?as_of={just_before}").json
    after = get(app, f"/reports/{YEAR}?as_of={quote(at.isoformat())}").json
    changed = [
        (b["unit_id"], b["status"], a["status"])
        for b, a in zip(before["units"], after["units"], strict=True)
        if a != b
    ]
    assert changed == [(decision.unit_id, "recommended", decision.payload["decision"])]
    new = [d for d in after["decisions"] if d not in before["decisions"]]
    assert [(d["unit_id"], d["decision_number"]) for d in new] == [
        (decision.unit_id, decision.payload["decision_number"])
    ]
    assert len(after["decisions"]) == len(before["decisions"]) + 1
    moved = {k for k in after["totals"] if after["totals"][k] != before["totals"][k]}
    assert moved <= {
        "recognized",
        "recognized_pct",
        "in_progress",
        "not_recognized",
        "not_recognized_pct",
        "criteria_failed",
    }


def test_csv_and_xlsx_exports_open_and_hold_the_same_figures(acceptance):
    app = acceptance["app"]
    report = get(app, f"/reports/{YEAR}").json
    rows = list(
        csv.reader(io.StringIO(get(app, f"/reports/{YEAR}?format=csv").data.decode("utf-8-sig")))
    )
    summary = {r[0]: r[1:] for r in rows if r and r[0] in ("Khu dân cư", "Cơ quan", "Tổng cộng")}
    wb = load_workbook(io.BytesIO(get(app, f"/reports/{YEAR}?format=xlsx").data))
    sheet = {row[1]: list(row[2:]) for row in wb["Tổng hợp"].iter_rows(min_row=6, values_only=True)}
    for label, key in (
        ("Khu dân cư", "residential_area"),
        ("Cơ quan", "agency"),
        ("Tổng cộng", None),
    ):
        counts = report["totals"] if key is None else report["by_unit_type"][key]
        want = [counts[k] for k in ("listed", "registered", "registered_pct", "dossiers_filed")]
        assert sheet[label][:4] == want
        assert summary[label][:4] == [str(v) for v in want]
    units_sheet = list(wb["Đơn vị"].iter_rows(min_row=2, values_only=True))
    assert len(units_sheet) == len(report["units"]) == 505


def test_a_rebuild_from_the_broker_equals_the_live_projection_row_for_row(acceptance):
    rt, env = acceptance["rt"], acceptance["env"]
    with rt.engine.connect() as conn:
        live = {t.name: repo.table_rows(conn, t) for t in LIVE.all}
    checked = antt(env, "rebuild", "--check")
    assert checked.returncode == 0, checked.stderr[-2000:]
    assert json.dumps(dict.fromkeys(live, 0)) in checked.stdout
    done = antt(env, "rebuild")
    assert done.returncode == 0, done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith(f"{len(acceptance['world'].envelopes)} events replayed, ")
    assert last.endswith(" events/s")
    assert (
        "ev/s" in done.stderr and f"{len(acceptance['world'].envelopes)}/" in done.stderr
    )  # done, rate, time left
    with rt.engine.connect() as conn:
        assert {t.name: repo.table_rows(conn, t) for t in LIVE.all} == live
    # The swapped-in tables are exactly what the migrations describe.
    assert migrate.pending_changes(rt.engine, metadata) == []
    # The live consumer goes on writing into the swapped-in tables.
    later = World(year=YEAR, clock=datetime(2025, 12, 30, tzinfo=UTC))
    later.add_unit("dv-after-rebuild", "school", "xa-0")
    later.play("dv-after-rebuild", "recognized")
    publish(env["KAFKA_BOOTSTRAP_SERVERS"], later.envelopes)
    wait_until(
        lambda: stored_count(rt) == len(acceptance["world"].envelopes) + len(later.envelopes),
        "the consumer to store events published after the rebuild",
    )
    statuses = {
        u["unit_id"]: u["status"] for u in get(acceptance["app"], f"/reports/{YEAR}").json["units"]
    }
    assert statuses["dv-after-rebuild"] == "recognized"
    with rt.engine.connect() as conn:
        row = conn.execute(
            sa.select(LIVE.unit_years.c.status).where(
                LIVE.unit_years.c.unit_id == "dv-after-rebuild"
            )
        ).scalar()
    assert row == "recognized"


def tamper(rt, *statements):
    with rt.engine.begin() as conn:
        for sql, params in statements:
            conn.execute(sa.text(sql), params)


def rows_of_stream(rt, event_type):
    with rt.engine.connect() as conn:
        stream = conn.execute(
            sa.text("SELECT stream_id FROM event_log WHERE event_type = :t LIMIT 1"),
            {"t": event_type},
        ).scalar()
        rows = conn.execute(
            sa.text("SELECT * FROM event_log WHERE stream_id = :s ORDER BY seq"), {"s": stream}
        ).all()
    return stream, rows


def problems(app) -> set[tuple[str, str]]:
    result = get(app, "/audit/verify").json
    return {(p["stream_id"], p["problem"]) for p in result["problems"]}


def test_verify_finds_one_altered_byte_one_deleted_and_two_swapped_events(acceptance):
    app, rt, env = acceptance["app"], acceptance["rt"], acceptance["env"]
    assert problems(app) == set()
    stream, rows = rows_of_stream(rt, "DossierReturned")
    target = rows[0]
    altered = target.envelope.replace('"revision":1', '"revision":3', 1)
    tamper(
        rt, ("UPDATE event_log SET envelope = :e WHERE seq = :s", {"e": altered, "s": target.seq})
    )
    assert (stream, "hash_mismatch") in problems(app)
    tamper(
        rt,
        (
            "UPDATE event_log SET envelope = :e WHERE seq = :s",
            {"e": target.envelope, "s": target.seq},
        ),
    )

    stream, rows = rows_of_stream(rt, "RecognitionAnnulled")
    tamper(rt, ("DELETE FROM event_log WHERE seq = :s", {"s": rows[1].seq}))
    assert {(stream, "version_gap"), (stream, "prev_hash_mismatch")} <= problems(app)
    cli = antt(env, "verify")
    assert cli.returncode == 1 and f"stream={stream}" in cli.stdout
    with rt.engine.begin() as conn:
        conn.execute(LIVE.event_log.insert().values(**rows[1]._mapping))
    assert problems(app) == set()

    stream, rows = rows_of_stream(rt, "RecognitionDecided")
    first, second = rows[0], rows[1]
    tamper(
        rt,
        (
            "UPDATE event_log SET envelope = :e WHERE seq = :s",
            {"e": second.envelope, "s": first.seq},
        ),
        (
            "UPDATE event_log SET envelope = :e WHERE seq = :s",
            {"e": first.envelope, "s": second.seq},
        ),
    )
    found = problems(app)
    assert (stream, "version_gap") in found and (stream, "version_out_of_order") in found
