"""The portal's templates and static files refer to no outside host (no CDN, font or script)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3] / "services" / "portal" / "entrypoints"
FILES = sorted(
    p for p in (*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/**/*")) if p.is_file()
)
# A URL with a host, in an attribute, CSS url() or script; licences may name their authors' sites.
HOST = re.compile(r"(?:https?:)?//[a-z0-9-]+(?:\.[a-z0-9-]+)+", re.IGNORECASE)
ALLOWED = {"//www.w3.org", "http://www.w3.org"}  # XML namespaces name, they do not load


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_or_static_file_names_an_outside_host(path):
    if path.name.endswith("LICENSE"):
        return
    text = path.read_text("utf-8", errors="replace")
    hosts = {m.group(0) for m in HOST.finditer(text)} - ALLOWED
    assert hosts == set()


def test_htmx_is_vendored_at_a_2x_version():
    head = (ROOT / "static" / "vendor" / "htmx.min.js").read_text("utf-8")
    assert re.search(r'version:"2\.\d+\.\d+"', head)
