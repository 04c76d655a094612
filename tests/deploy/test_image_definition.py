"""deploy/Dockerfile and its lock: one non-root image, pinned, able to run every process kind."""

from __future__ import annotations

import subprocess
import sys

from shared.stack import WORKERS
from tests.deploy.compose_file import DEPLOY, ROOT, services

DOCKERFILE = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
# The development SMTP server writes .eml files to disk: production uses a real relay.
DEV_ONLY_KINDS = {"smtp"}


def test_the_lock_pins_exactly_the_runtime_dependencies_the_suite_runs_with():
    result = subprocess.run(
        [sys.executable, str(DEPLOY / "lock_requirements.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    pins = [
        line
        for line in (DEPLOY / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert pins and all("==" in line for line in pins)
    assert not any(line.startswith(("pytest", "ruff", "hypothesis")) for line in pins)


def test_the_image_installs_from_the_lock_and_runs_as_an_unprivileged_user():
    assert "pip install --no-deps -r /app/deploy/requirements.lock" in DOCKERFILE
    assert "pip install --no-deps /app" in DOCKERFILE
    users = [line.split()[1] for line in DOCKERFILE.splitlines() if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert 'ENTRYPOINT ["/usr/local/bin/antt-entrypoint"]' in DOCKERFILE


def test_every_process_kind_the_stack_runs_has_a_container_in_the_compose_file():
    commands = {tuple(svc.get("command") or ()) for svc in services().values()}
    for service, kinds in WORKERS.items():
        assert ("api", service) in commands
        for kind in set(kinds) - DEV_ONLY_KINDS:
            assert (kind, service) in commands or (kind,) in commands, f"{service} {kind}"
