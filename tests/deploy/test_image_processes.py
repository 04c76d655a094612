"""The image's pieces run as real processes here: gunicorn config, health checks, entrypoint."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from shared.broker import free_port
from tests.deploy.compose_file import DEPLOY, ROOT
from tests.e2e.client import call, wait_until

pytestmark = pytest.mark.integration
HEALTHCHECK = str(DEPLOY / "healthcheck.py")


def run(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def review_env(pg, tmp_path):
    return {
        "ANTT_REVIEW_DATABASE_URL": pg.new("deploy"),
        "ANTT_VAR_DIR": str(tmp_path),
        "ANTT_REVIEW_PORT": str(free_port()),
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
    }


def test_the_gunicorn_config_serves_the_api_on_its_port_and_the_api_health_check_sees_it(
    review_env,
):
    env = {**os.environ, **review_env, "ANTT_SERVICE": "review", "ANTT_GUNICORN_WORKERS": "1"}
    app = "services.review.entrypoints.api:create_app()"
    command = [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py"), app]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=None)
    try:
        url = f"http://127.0.0.1:{review_env['ANTT_REVIEW_PORT']}/healthz"
        answer = wait_until(lambda: _answer(url, server), "the API under deploy/gunicorn.conf.py")
        assert answer.json == {"status": "ok", "service": "review"}
        assert run([sys.executable, HEALTHCHECK, "api", "review"], review_env).returncode == 0
    finally:
        server.terminate()
        server.wait(30)
    assert run([sys.executable, HEALTHCHECK, "api", "review"], review_env).returncode == 1


def test_the_api_in_production_on_a_short_jwt_secret_stops_gunicorn_saying_why(review_env):
    env = {
        **os.environ,
        **review_env,
        "ANTT_SERVICE": "review",
        "ANTT_GUNICORN_WORKERS": "1",
        "ANTT_ENV": "production",
        "ANTT_JWT_ALLOW_HS256": "true",
        "ANTT_JWT_SECRET": "short-secret",
    }
    app = "services.review.entrypoints.api:create_app()"
    command = [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py"), app]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    # A worker that cannot boot halts gunicorn (exit 3) rather than being restarted forever.
    assert done.returncode != 0
    assert "ANTT_JWT_SECRET is shorter than 32 bytes" in done.stderr


def _answer(url, server):
    assert server.poll() is None, "gunicorn exited; see the captured stderr"
    try:
        answer = call("GET", url)
    except OSError:
        return None
    return answer if answer.status == 200 else None


def test_a_worker_is_healthy_while_its_database_and_one_broker_of_the_cluster_answer(
    review_env, broker
):
    one_down = f"127.0.0.1:{free_port()},{broker.bootstrap}"
    env = {**review_env, "KAFKA_BOOTSTRAP_SERVERS": one_down}
    assert run([sys.executable, HEALTHCHECK, "worker", "review"], env).returncode == 0


def test_a_worker_is_unhealthy_when_no_broker_answers(review_env):
    result = run([sys.executable, HEALTHCHECK, "worker", "review"], review_env)
    assert result.returncode == 1


def test_a_worker_is_unhealthy_when_its_database_does_not_answer(review_env, broker):
    env = {
        **review_env,
        "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
        "ANTT_REVIEW_DATABASE_URL": f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none",
    }
    assert run([sys.executable, HEALTHCHECK, "worker", "review"], env).returncode == 1


@pytest.mark.parametrize(
    "args",
    [["relay", "reporting"], ["consumer", "services.review"], ["api"], ["shell"]],
    ids=["reporting-has-no-relay", "module-paths-refused", "api-needs-a-service", "unknown"],
)
def test_the_entrypoint_refuses_a_process_it_does_not_know(args):
    result = run(["sh", str(DEPLOY / "entrypoint.sh"), *args])
    assert result.returncode == 2
    assert "antt-entrypoint:" in result.stderr


def test_the_entrypoint_runs_antt_commands():
    # In the image `antt` is on PATH; here it is this interpreter's console script.
    path = f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"
    result = run(["sh", str(DEPLOY / "entrypoint.sh"), "antt", "--help"], {"PATH": path})
    assert result.returncode == 0, result.stderr
    assert "reporting" in result.stdout
