"""The command profile: py-spy's folded samples shared out by step of the request."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bench.commands_profile import CUT_SHORT, REST, STEPS, text
from bench.profile import by_step

READ = "serve (gunicorn/sync.py:1);events_of_streams (shared/persistence/stream_reads.py:36)"


def shares(tmp_path, lines: list[str]) -> dict[str, float]:
    folded = tmp_path / "worker.folded"
    folded.write_text("\n".join(lines) + "\n")
    return dict(by_step(folded, STEPS, REST))


def test_a_sample_counts_for_its_step_and_one_outside_every_step_for_the_rest(tmp_path):
    got = shares(tmp_path, [f"{READ};Connection.execute (sqlalchemy/engine/base.py:9) 3"])
    assert got == {"reading unit, campaign and case streams (BEGIN, SELECT)": 1.0}
    got = shares(tmp_path, ["serve (gunicorn/sync.py:1);Flask.wsgi_app (flask/app.py:2) 4"])
    assert got == {REST: 1.0}


def test_a_step_inside_another_counts_apart_from_it(tmp_path):
    decoding = f"{READ};_decoded (shared/persistence/stream_reads.py:50);load (json/__init__.py:1)"
    got = shares(tmp_path, [f"{decoding} 1", f"{READ};fetchone (psycopg/cursor.py:3) 3"])
    assert got == {
        "reading unit, campaign and case streams (BEGIN, SELECT)": 0.75,
        "decoding the stored events (marshmallow load)": 0.25,
    }


def test_a_library_call_counts_for_the_step_that_made_it(tmp_path):
    sealing = "EventStore._seal (shared/persistence/event_store.py:125)"
    dump = "Schema.dump (marshmallow/schema.py:548)"
    got = shares(tmp_path, [f"a (x.py:1);{sealing};{dump} 1", f"a (x.py:1);{dump} 1"])
    assert got == {
        "sealing the new events (encode, canonical JSON, hash)": 0.5,
        "response body (marshmallow dump, JSON)": 0.5,
    }


def test_sql_whose_caller_the_sampler_missed_counts_as_sql_not_as_the_rest(tmp_path):
    cut = "BaseCursor._execute_gen (psycopg/_cursor_base.py:195);wait (psycopg/connection.py:9)"
    got = shares(tmp_path, [f"{cut} 1", f"{READ};{cut} 1"])
    assert got == {
        "reading unit, campaign and case streams (BEGIN, SELECT)": 0.5,
        CUT_SHORT: 0.5,
    }


def test_the_report_shares_the_workers_cpu_out_by_step():
    peak = {"requests": 100, "rate": 50.0, "cpu_ms": {"workers": 4.0}}
    report = text(peak | {"steps": [("COMMIT", 0.25), (REST, 0.75)]})
    assert "| COMMIT | 25.0% | 1.00 |" in report
    assert f"| {REST} | 75.0% | 3.00 |" in report
    assert "not installed" in text(peak | {"steps": []})
    assert text(None) == ""


def defines(marker: str) -> bool:
    """Whether a module under the marker's path defines its function (or class and method);
    a marker of a path alone, whether that package is installed."""
    if marker.startswith("("):
        return importlib.util.find_spec(marker.strip("(/")) is not None
    function, folder = marker.split(" (")
    *owner, name = function.split(".")
    top = importlib.util.find_spec(folder.split("/")[0])
    files = Path(top.submodule_search_locations[0]).parent.glob(f"{folder}**/*.py")
    return any(
        f"def {name}(" in text and all(f"class {c}" in text for c in owner)
        for text in (f.read_text() for f in files)
    )


@pytest.mark.parametrize("step, marker", STEPS)
def test_every_step_names_a_function_that_exists_where_it_says(step, marker):
    # A renamed function would silently move its samples to the rest.
    assert defines(marker), f"{step}: nothing defines {marker!r}"
