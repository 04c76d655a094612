"""`antt reporting …`: verify the stored log or an exported file, export it, rebuild from it."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from services.reporting.adapters.tables import LIVE
from services.reporting.bootstrap import bootstrap
from services.reporting.entrypoints.consumer import make_consumer
from shared.cli import main
from shared.config import Settings
from tests.unit.reporting.world import build_year, records


@pytest.fixture
def stored(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/r.db"
    monkeypatch.setenv("ANTT_REPORTING_DATABASE_URL", url)
    rt = bootstrap(Settings(service="reporting", database_url=url))
    consumer = make_consumer(rt)
    for rec in records(build_year(10, communes=1).envelopes):
        consumer.consume(rec)
    yield rt
    rt.engine.dispose()


def verify_json(capsys, *args) -> tuple[int, dict]:
    code = main(["reporting", "verify", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_an_untouched_log_and_its_export_verify(stored, tmp_path, capsys):
    code, result = verify_json(capsys)
    assert (code, result["ok"], result["problems"]) == (0, True, [])
    out = tmp_path / "export.jsonl"
    assert main(["reporting", "export-log", "--out", str(out)]) == 0
    assert f"{result['events']} events written" in capsys.readouterr().out
    code, offline = verify_json(capsys, "--file", str(out))
    assert (code, offline["ok"], offline["events"]) == (0, True, result["events"])


def test_an_exported_file_with_one_byte_changed_fails_naming_stream_and_line(
    stored, tmp_path, capsys
):
    out = tmp_path / "export.jsonl"
    main(["reporting", "export-log", "--out", str(out)])
    capsys.readouterr()
    lines = out.read_text("utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if '"DossierSubmitted"' in line)
    lines[target] = lines[target].replace('"revision":1', '"revision":2', 1)
    out.write_text("\n".join(lines) + "\n", "utf-8")
    code, result = verify_json(capsys, "--file", str(out))
    stream = json.loads(lines[target])["stream_id"]
    assert code == 1
    assert [(p["stream_id"], p["position"], p["problem"]) for p in result["problems"]] == [
        (stream, target + 1, "hash_mismatch")
    ]


def test_the_stored_log_verify_prints_each_problem_with_stream_and_position(stored, capsys):
    log = LIVE.event_log
    with stored.engine.begin() as conn:
        seq, stream = conn.execute(
            sa.select(log.c.seq, log.c.stream_id).where(log.c.event_type == "DossierSubmitted")
        ).first()
        conn.execute(log.delete().where(log.c.seq == seq))
    assert main(["reporting", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"PROBLEM stream={stream}" in out
    assert "problem(s)" in out.splitlines()[-1]


def test_a_rebuild_from_the_stored_log_prints_its_rate(stored, capsys):
    assert main(["reporting", "rebuild", "--from", "log"]) == 0
    out = capsys.readouterr().out
    assert "fresh tables swapped in" in out
    last = out.strip().splitlines()[-1]
    assert last.endswith("events/s") and " events replayed, " in last


def test_an_exported_line_nested_too_deep_to_read_is_a_problem_at_its_line(
    stored, tmp_path, capsys
):
    out = tmp_path / "export.jsonl"
    main(["reporting", "export-log", "--out", str(out)])
    capsys.readouterr()
    lines = out.read_text("utf-8").splitlines()
    out.write_text("\n".join([*lines, "[" * 200_000 + "]" * 200_000]) + "\n", "utf-8")
    code, result = verify_json(capsys, "--file", str(out))
    assert code == 1
    assert {p["position"] for p in result["problems"]} == {len(lines) + 1}
