"""The functional core stays pure: no framework or infrastructure import under any domain/."""

import ast
from pathlib import Path

import pytest

FORBIDDEN = {"flask", "flask_smorest", "kafka", "sqlalchemy", "marshmallow", "psycopg", "requests"}
ROOT = Path(__file__).resolve().parents[3]
DOMAIN_MODULES = sorted(ROOT.glob("services/*/domain/**/*.py"))


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_every_service_has_a_domain_package():
    services = {p.parent.parent.name for p in DOMAIN_MODULES}
    assert {"registration"} <= services


@pytest.mark.parametrize("module", DOMAIN_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_module_imports_no_framework_or_infrastructure(module):
    assert imported_roots(module) & FORBIDDEN == set()


def test_the_check_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy as sa\nfrom flask import Flask\n")
    assert imported_roots(bad) & FORBIDDEN == {"sqlalchemy", "flask"}


def test_importing_every_domain_loads_no_framework_even_indirectly():
    import subprocess
    import sys

    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in DOMAIN_MODULES
        if p.name != "__init__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(set({sorted(FORBIDDEN)!r}) & set(m.split('.')[0] for m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
