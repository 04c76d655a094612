"""deploy/compose.yaml: valid Compose, and the production shape the deployment promises."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import jsonschema
import pytest

from tests.deploy.compose_file import (
    COMPOSE,
    ENV_EXAMPLE,
    KAFKA_NODES,
    ROOT,
    SCHEMA,
    SERVICES,
    compose,
    env_file,
    is_reference,
    required_variables,
    services,
)

SECRET_NAME = re.compile(r"PASSWORD|SECRET|PRIVATE|CLUSTER_ID")
LONG_RUNNING_KINDS = ("api", "relay", "consumer", "sender", "scheduler")


def test_the_compose_file_is_valid_against_the_compose_specification_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    # The file names its draft by a URL jsonschema does not know: 2019-09, said plainly here.
    validator = jsonschema.Draft201909Validator(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(compose())]
    assert errors == []


@pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="docker-compose is not on PATH: only the JSON-schema validation ran",
)
def test_docker_compose_accepts_the_file_with_the_documented_env_example():
    result = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "--env-file", str(ENV_EXAMPLE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_kafka_is_three_combined_kraft_nodes_of_the_official_image_in_one_quorum():
    svcs = services()
    voters = "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"
    for node_id, name in enumerate(KAFKA_NODES, start=1):
        node = svcs[name]
        env = node["environment"]
        assert node["image"].startswith("apache/kafka:")
        assert re.fullmatch(r"apache/kafka:\d+\.\d+\.\d+", node["image"]), "pin the version"
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert env["KAFKA_NODE_ID"] == node_id
        assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == voters
        assert env["KAFKA_ADVERTISED_LISTENERS"] == f"PLAINTEXT://{name}:9092"
        assert is_reference(env["CLUSTER_ID"]), "the cluster id comes from the env file"
        assert env["KAFKA_MIN_INSYNC_REPLICAS"] == 2
        assert env["KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE"] == "false"
        assert "kafka-broker-api-versions.sh" in " ".join(node["healthcheck"]["test"])
        assert any(v.endswith(":/var/lib/kafka/data") for v in node["volumes"])
    assert not any(s.startswith("kafka-") and s[6:].isdigit() for s in set(svcs) - set(KAFKA_NODES))


def test_the_topic_init_creates_every_event_topic_with_rf3_min_isr2_and_no_retention_limit():
    init = services()["kafka-topics"]
    script = " ".join(init["command"])
    for topic in ("antt.registration", "antt.review", "antt.notification"):
        assert topic in script
    assert "--create --if-not-exists" in script
    assert "--replication-factor 3" in script
    for setting in ("min.insync.replicas=2", "retention.ms=-1", "retention.bytes=-1"):
        assert f"--config {setting}" in script
    assert init["restart"] == "no"
    assert {init["depends_on"][n]["condition"] for n in KAFKA_NODES} == {"service_healthy"}


def test_every_antt_process_depends_on_the_topics_and_a_healthy_database():
    for name, svc in antt_services().items():
        deps = svc["depends_on"]
        assert deps["kafka-topics"]["condition"] == "service_completed_successfully", name
        assert deps["postgres"]["condition"] == "service_healthy", name
        env = svc["environment"]
        assert env["ANTT_TOPIC_REPLICATION_FACTOR"] == 3, name
        assert env["ANTT_TOPIC_MIN_INSYNC_REPLICAS"] == 2, name
        assert env["KAFKA_BOOTSTRAP_SERVERS"].count("kafka-") == 3, name


def test_each_service_has_its_own_database_and_role_and_sees_no_other():
    svcs = antt_services()
    for service in SERVICES:
        for name, svc in svcs.items():
            urls = {k: v for k, v in svc["environment"].items() if k.endswith("_DATABASE_URL")}
            if name.startswith(f"{service}-"):
                url = urls.pop(f"ANTT_{service.upper()}_DATABASE_URL")
                assert f"//antt_{service}:${{ANTT_{service.upper()}_DB_PASSWORD" in url
                assert url.endswith(f"@postgres:5432/antt_{service}")
            assert not any(k.startswith(f"ANTT_{service.upper()}_") for k in urls), name
    init = (ROOT / "deploy/postgres/init-databases.sh").read_text(encoding="utf-8")
    assert "for service in registration review notification reporting" in init
    assert "REVOKE ALL ON DATABASE" in init
    assert "pg_isready" in services()["postgres"]["healthcheck"]["test"]


def test_every_api_runs_two_replicas_behind_the_proxy_on_the_contract_ports():
    svcs = services()
    nginx = (ROOT / "deploy/nginx.conf").read_text(encoding="utf-8")
    servers = (ROOT / "deploy/nginx/antt.conf.template").read_text(encoding="utf-8")
    for port, service in enumerate(SERVICES, start=8001):
        api = svcs[f"{service}-api"]
        assert api["command"] == ["api", service]
        assert api["deploy"]["replicas"] == 2
        assert "ports" not in api, "replicas are reached through the proxy only"
        assert f"server {service}-api:{port} resolve;" in nginx
        assert f"listen {port} ssl;" in servers
        assert f"{port} {service};" in servers
        assert any(p.endswith(f":{port}") for p in svcs["proxy"]["ports"])
        assert svcs["proxy"]["depends_on"][f"{service}-api"]["condition"] == "service_healthy"


def test_relays_consumers_the_sender_the_scheduler_and_a_mail_catcher_are_all_there():
    commands = {tuple(svc["command"]) for svc in antt_services().values()}
    for service in ("registration", "review", "notification"):
        assert ("relay", service) in commands
    for service in SERVICES:
        assert ("consumer", service) in commands
    assert ("sender",) in commands
    assert ("scheduler",) in commands
    assert services()["mailpit"]["image"].startswith("axllent/mailpit:v")
    assert services()["notification-scheduler"]["deploy"]["replicas"] == 1


def test_every_long_running_service_has_a_health_check():
    for name, svc in services().items():
        if name == "kafka-topics":
            continue
        assert svc.get("healthcheck", {}).get("test"), f"{name} has no health check"
    for name, svc in antt_services().items():
        kind = "api" if svc["command"][0] == "api" else "worker"
        assert svc["healthcheck"]["test"][-2] == kind, name


def test_the_compose_file_holds_no_secret_values_only_references_to_the_env_file():
    text = COMPOSE.read_text(encoding="utf-8")
    for name, svc in services().items():
        for key, value in (svc.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                assert is_reference(value), f"{name}: {key} must be a ${{VAR}} reference"
            if key.endswith("_DATABASE_URL"):
                password = re.search(r"//[^:]+:(.*)@", value).group(1)
                assert is_reference(password), f"{name}: {key} has a literal password"
    example = env_file(ENV_EXAMPLE)
    for key, value in example.items():
        if SECRET_NAME.search(key) and value:
            assert value not in text, f"the example value of {key} leaked into compose.yaml"


def test_the_env_example_documents_every_variable_the_compose_file_requires():
    required = required_variables(COMPOSE.read_text(encoding="utf-8"))
    assert {"ANTT_JWT_SECRET", "POSTGRES_PASSWORD", "KAFKA_CLUSTER_ID"} <= required
    assert required <= set(env_file(ENV_EXAMPLE)), "add the missing ones to deploy/.env.example"


def test_the_real_env_file_is_never_committed():
    result = subprocess.run(
        ["git", "check-ignore", "-q", "deploy/.env"], cwd=ROOT, capture_output=True, timeout=30
    )
    assert result.returncode == 0, "deploy/.env must be git-ignored"
    dockerignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git/", ".venv/", "var/", "deploy/.env"} <= set(dockerignore)


def antt_services() -> dict:
    return {
        name: svc
        for name, svc in services().items()
        if svc.get("command") and svc["command"][0] in LONG_RUNNING_KINDS
    }
