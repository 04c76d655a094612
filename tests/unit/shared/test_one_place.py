"""One place per rule: a unit's stream id and the writing of projection rows by key."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SOURCES = sorted([*ROOT.glob("services/**/*.py"), *ROOT.glob("shared/**/*.py")])


def files_matching(pattern: str) -> list[str]:
    found = (p for p in SOURCES if re.search(pattern, p.read_text("utf-8")))
    return [str(p.relative_to(ROOT)) for p in found]


def test_a_units_stream_id_is_spelled_once_in_the_kernel():
    assert files_matching(r"def unit_stream\b") == ["shared/events/registration.py"]
    assert files_matching(r"""f["']unit-\{""") == ["shared/events/registration.py"]


def test_projection_rows_are_upserted_only_through_the_kernels_helper():
    update_then_insert = r"rowcount == 0|on_conflict_do_"
    assert files_matching(update_then_insert) == ["shared/persistence/upsert.py"]


def test_article_10_is_decided_by_one_function_over_one_set_of_files():
    assert files_matching(r"def authority_for\b") == ["shared/authority.py"]
    rules = [str(p.relative_to(ROOT)) for p in ROOT.glob("services/**/authorit*.json")]
    assert rules == []
