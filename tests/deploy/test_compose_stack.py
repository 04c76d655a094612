"""deploy/compose.yaml brought up for real (pytest-docker): register → decide → report on the
3-broker Kafka cluster and PostgreSQL, with one broker stopped mid-run and nothing lost.

Where no Docker engine runs, the whole module is skipped before any pytest-docker fixture is
set up; tests/e2e proves the same flow on the embedded broker and the local PostgreSQL.
"""

from __future__ import annotations

import http.client
import json
import os
import shlex
import shutil
import ssl
import subprocess
import urllib.request

import pytest

from shared.auth import mint_token
from tests.deploy.compose_file import COMPOSE, SERVICES, env_file
from tests.e2e.client import call, wait_until
from tests.e2e.flow import (
    YEAR,
    add_unit,
    case_in_review,
    criteria_of,
    register_late,
    setup_campaign_and_commune,
    status_in_report,
    submit_dossier,
)

ENV_FILE = COMPOSE.parents[1] / "tests" / "deploy" / "stack.env"
DRILL = env_file(ENV_FILE)
PRODUCERS = {
    "registration": "antt.registration",
    "review": "antt.review",
    "notification": "antt.notification",
}
UNIT = "khu-pho-drill"


def _succeeds(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def docker_engine_available() -> bool:
    return shutil.which("docker") is not None and _succeeds(["docker", "info"])


def compose_cli() -> str:
    """Compose v2 (`docker compose`) where the plugin exists, else the v1 `docker-compose`."""
    if _succeeds(["docker", "compose", "version"]):
        return "docker compose"
    return "docker-compose"


pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not docker_engine_available(),
        reason="no Docker engine is running here (`docker info` fails), so the production "
        "compose stack cannot start; tests/e2e runs the same register → decide → report flow "
        "on the embedded broker and PostgreSQL",
    ),
]


@pytest.fixture(scope="session")
def drill_tls(tmp_path_factory):
    """A self-signed certificate for the proxy, trusted by this session's HTTP client."""
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (folder / "privkey.pem").chmod(0o644)  # read by nginx in its container
    context = ssl.create_default_context(cafile=str(folder / "fullchain.pem"))
    urllib.request.install_opener(
        urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))
    )
    return folder


# pytest-docker's fixtures, pointed at the production compose file and the drill env file.
@pytest.fixture(scope="session")
def docker_compose_command(drill_tls) -> str:
    tls = f"ANTT_TLS_DIR={shlex.quote(str(drill_tls))}"
    return f"{tls} {compose_cli()} --env-file {shlex.quote(str(ENV_FILE))}"


@pytest.fixture(scope="session")
def docker_compose_file() -> str:
    return str(COMPOSE)


@pytest.fixture(scope="session")
def docker_compose_project_name() -> str:
    return f"antt-drill-{os.getpid()}"


@pytest.fixture(scope="session")
def docker_setup() -> list[str]:
    # Not `--wait`: the one-shot topic init exits by design; readiness is awaited below.
    return ["up --build --detach"]


@pytest.fixture(scope="session")
def docker_cleanup() -> list[str]:
    return ["down --volumes --remove-orphans"]


@pytest.fixture(scope="session")
def compose(
    docker_services, docker_compose_command, docker_compose_file, docker_compose_project_name
):
    """Run `docker compose …` against the running drill stack; returns its stdout."""
    base = (
        f"{docker_compose_command} -f {shlex.quote(docker_compose_file)}"
        f" -p {shlex.quote(docker_compose_project_name)}"
    )

    def run(*args: str) -> str:
        command = f"{base} {shlex.join(args)}"
        done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        return done.stdout

    return run


class DrillStack:
    def __init__(self, host: str, ports: dict[str, int], ops_port: int):
        self.host, self.ports, self.ops_port = host, ports, ops_port

    def url(self, service: str) -> str:
        return f"https://{self.host}:{self.ports[service]}"

    def ops_url(self, service: str) -> str:
        """Readiness and metrics: the proxy's internal operations port, not the public one."""
        return f"http://{self.host}:{self.ops_port}/{service}"


class DrillSystem:
    """What tests/e2e/flow.py needs of a system: URLs through the proxy, and tokens."""

    def __init__(self, stack: DrillStack):
        self.stack = stack
        self.secret = DRILL["ANTT_JWT_SECRET"]
        self.tokens = {
            role: mint_token(self.secret, role, f"{role}-drill", None, jurisdiction)
            for role, jurisdiction in (
                ("admin", "nha-trang"),
                ("reviewer", "nha-trang"),
                ("approver", "nha-trang"),
                ("auditor", "khanh-hoa"),
            )
        }

    def unit_token(self, unit_id: str) -> str:
        return mint_token(self.secret, "unit", f"user-{unit_id}", unit_id)

    def authority_token(self, unit_id: str) -> str:
        """An approver of the People's Committee that review names as the unit's authority."""
        r = self.api("review", "GET", f"/cases/{unit_id}/{YEAR}", "reviewer")
        assert r.status == 200, r.json
        code = r.json["authority"]["code"]
        return mint_token(self.secret, "approver", "approver-drill", None, code)

    def api(self, service, method, path, role=None, body=None, token=None):
        token = token or (self.tokens[role] if role else None)
        return call(method, f"{self.stack.url(service)}/api/v1{path}", token, body)


@pytest.fixture(scope="session")
def drill(docker_ip, docker_services) -> DrillSystem:
    ports = {s: docker_services.port_for("proxy", port) for s, port in _contract_ports().items()}
    stack = DrillStack(docker_ip, ports, docker_services.port_for("proxy", 9000))
    for service in SERVICES:
        # First start builds the image and forms the cluster: minutes, not seconds.
        docker_services.wait_until_responsive(
            check=lambda s=service: _ready(stack.ops_url(s)), timeout=900, pause=2
        )
    return DrillSystem(stack)


def _contract_ports() -> dict[str, int]:
    return dict(zip(SERVICES, (8001, 8002, 8003, 8004), strict=True))


def _ready(base_url: str) -> bool:
    try:
        return call("GET", f"{base_url}/readyz").status == 200
    except OSError:
        return False


def test_a_unit_goes_from_registration_to_the_report_while_a_broker_is_down(drill, compose):
    setup_campaign_and_commune(drill)
    add_unit(drill, UNIT)
    register_late(drill, UNIT)
    criteria = criteria_of(drill)
    case_in_review(drill, UNIT, "registered")

    # Replication 3, min.insync.replicas 2: with one broker gone every write is still acked.
    compose("stop", "kafka-2")
    try:
        submit_dossier(drill, UNIT, criteria)
        recommend_and_decide(drill, UNIT, criteria, "QĐ-DRILL-01")
        wait_until(
            lambda: status_in_report(drill, UNIT) == "recognized",
            f"{UNIT} recognised in the report with kafka-2 stopped",
            timeout_s=300,
        )
    finally:
        compose("start", "kafka-2")


def test_nothing_stored_was_lost_every_event_reached_its_replicated_topic(drill, compose):
    for service, topic in PRODUCERS.items():
        # Notification stores its events as mails go out: wait for some, all published.
        stored = wait_until(
            lambda s=service, t=topic: _all_published(compose, s, t),
            f"{service}'s events stored and its outbox drained",
            timeout_s=300,
            every_s=2,
        )
        # At-least-once: a relay retry may add a copy (consumers drop it), never lose one.
        assert _topic_size(compose, topic) >= stored
        described = _kafka(compose, "kafka-topics.sh", "--describe", "--topic", topic)
        assert "ReplicationFactor: 3" in described
        assert "min.insync.replicas=2" in described
        # kafka-2 is back: every partition returns to three in-sync replicas.
        wait_until(
            lambda t=topic: not _kafka(
                compose, "kafka-topics.sh", "--describe", "--under-replicated-partitions",
                "--topic", t,
            ).strip(),
            f"{topic} fully replicated again",
            timeout_s=300, every_s=2,
        )  # fmt: skip


def _all_published(compose, service: str, topic: str) -> int:
    """How many events the service stored for its topic, once none waits in the outbox."""
    pending = _sql(compose, service, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
    stored = _sql(compose, service, f"SELECT count(*) FROM outbox WHERE topic = '{topic}'")
    return stored if pending == 0 else 0


def _kafka(compose, tool: str, *args: str) -> str:
    return compose(
        "exec", "-T", "kafka-1", f"/opt/kafka/bin/{tool}", "--bootstrap-server", "kafka-1:9092",
        *args,
    )  # fmt: skip


def test_the_decision_mail_reached_the_mail_catcher(drill, docker_ip, docker_services):
    port = docker_services.port_for("mailpit", 8025)

    def addressed_to_unit():
        with urllib.request.urlopen(f"http://{docker_ip}:{port}/api/v1/messages", timeout=10) as r:
            messages = json.load(r).get("messages") or []
        return [m for m in messages if any(t["Address"] == f"{UNIT}@example.vn" for t in m["To"])]

    found = wait_until(addressed_to_unit, f"a mail to {UNIT}@example.vn", timeout_s=300, every_s=2)
    assert found


def recommend_and_decide(drill: DrillSystem, unit_id: str, criteria: list[str], number: str):
    """The reviewer recommends, the competent People's Committee decides (four eyes)."""
    case = case_in_review(drill, unit_id, "dossier_submitted")
    findings = [{"criterion_id": c, "met": True, "note": "Đạt"} for c in criteria]
    r = drill.api(
        "review",
        "POST",
        f"/cases/{unit_id}/{YEAR}/recommendation",
        "reviewer",
        {"recommendation": "achieved", "expected_version": case["version"], "findings": findings},
    )
    assert r.status == 201, r.json
    decision = {
        "decision": "recognized",
        "decision_number": number,
        "decided_on": "2026-11-20",
        "note": "Công nhận đạt chuẩn",
    }
    path = f"/cases/{unit_id}/{YEAR}/decision"
    r = drill.api("review", "POST", path, body=decision, token=drill.authority_token(unit_id))
    assert r.status == 201, r.json


def _sql(compose, service: str, query: str) -> int:
    out = compose(
        "exec", "-T", "postgres", "psql", "-U", "postgres", "-d", f"antt_{service}", "-tAc", query
    )
    return int(out.strip())


def _topic_size(compose, topic: str) -> int:
    """Messages ever written to the topic: the sum of its partitions' end offsets."""
    out = _kafka(compose, "kafka-get-offsets.sh", "--topic", topic)
    return sum(int(line.rsplit(":", 1)[1]) for line in out.splitlines() if line.count(":") == 2)


def test_the_proxy_speaks_tls_redirects_plain_http_and_keeps_readiness_internal(drill):
    stack = drill.stack
    public = stack.url("review")
    assert call("GET", f"{public}/healthz").status == 200
    assert call("GET", f"{public}/readyz").status == 404
    assert call("GET", f"{public}/metrics").status == 404
    assert call("GET", f"{stack.ops_url('review')}/metrics").status == 200
    plain = http.client.HTTPConnection(stack.host, stack.ports["review"], timeout=10)
    try:
        plain.request("GET", "/healthz", headers={"Host": f"{stack.host}:{stack.ports['review']}"})
        answer = plain.getresponse()
        assert answer.status == 301
        assert answer.getheader("Location").startswith(f"https://{stack.host}:")
    finally:
        plain.close()
