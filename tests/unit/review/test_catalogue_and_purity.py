"""The criteria catalogue is well-formed data, and the domain stays free of frameworks."""

import ast
from pathlib import Path

from services.review.adapters.rules import load_catalogue
from services.review.domain.criteria import KINDS

DOMAIN = Path(__file__).resolve().parents[3] / "services" / "review" / "domain"
FORBIDDEN = {"flask", "flask_smorest", "kafka", "sqlalchemy", "marshmallow"}


def test_the_catalogue_has_the_expected_ids_per_unit_type():
    cat = load_catalogue()
    assert cat.version == "tt124-2021-v1"
    assert cat.ids_for("residential_area") == ["RA-1", "RA-2", "RA-3", "RA-4", "RA-5"]
    assert cat.ids_for("commune") == ["CW-1", "CW-2", "CW-3", "CW-4"]
    assert cat.ids_for("agency") == cat.ids_for("enterprise") == ["AE-1", "AE-2", "AE-3"]
    assert cat.ids_for("school") == [f"ED-{i}" for i in range(1, 7)]


def test_every_criterion_has_a_title_a_known_kind_and_a_verification_flag():
    cat = load_catalogue()
    assert all(c.title and c.kind in KINDS and isinstance(c.verified, bool) for c in cat.criteria)
    unverified = {c.criterion_id for c in cat.criteria if not c.verified}
    assert {"RA-4", "RA-5", "AE-3"} <= unverified
    assert not {"RA-1", "RA-2", "RA-3", "CW-4", "AE-1"} & unverified


def test_the_domain_imports_no_framework():
    for path in DOMAIN.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {n.split(".")[0] for n in names} & FORBIDDEN, f"{path.name}: {names}"
