"""docs/CONTRACT.md is what the code says: regenerate it with `antt docs` after a change."""

from pathlib import Path

from shared.contract_docs import render
from shared.envelope import FIELDS
from shared.events.registry import REGISTRY

DOC = Path(__file__).resolve().parents[3] / "docs" / "CONTRACT.md"


def test_the_committed_contract_document_equals_what_the_code_generates():
    assert DOC.read_text(encoding="utf-8") == render(), "run `.venv/bin/antt docs`"


def test_every_envelope_field_and_every_event_is_documented():
    text = render()
    assert all(f"| `{name}` |" in text for name in FIELDS)
    assert all(f"### {name} (v{spec.version})" in text for name, spec in REGISTRY.specs.items())
