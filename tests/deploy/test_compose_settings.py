"""From the env file, through compose.yaml, to the settings and clients of an antt process."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from shared.config import Settings
from shared.runtime import kafka_publisher
from tests.deploy.compose_file import (
    ENV_EXAMPLE,
    SERVICES,
    MissingVariable,
    env_file,
    resolved_environment,
    services,
)

MANAGED_CLUSTER = {
    "KAFKA_BOOTSTRAP_SERVERS": "b-1.kafka.example.vn:9094,b-2.kafka.example.vn:9094",
    "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
    "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
    "KAFKA_SASL_USERNAME": "antt",
    "KAFKA_SASL_PASSWORD": "from-the-env-file",
    "KAFKA_SSL_CAFILE": "/run/secrets/kafka-ca.pem",
    "KAFKA_SSL_CHECK_HOSTNAME": "true",
    "PGSSLMODE": "verify-full",
}


def example() -> dict[str, str]:
    return env_file(ENV_EXAMPLE)


def test_the_env_example_gives_every_process_the_cluster_and_its_own_database():
    env = resolved_environment("review-consumer", example())
    settings = Settings.from_env("review", env)
    assert settings.kafka_bootstrap_servers == "kafka-1:9092,kafka-2:9092,kafka-3:9092"
    assert (settings.topic_replication_factor, settings.topic_min_insync_replicas) == (3, 2)
    assert settings.environment == "production"
    assert settings.clock_start is None
    url = sa.engine.make_url(settings.database_url)
    assert (url.drivername, url.host, url.database) == (
        "postgresql+psycopg",
        "postgres",
        "antt_review",
    )
    assert (url.username, url.password) == ("antt_review", example()["ANTT_REVIEW_DB_PASSWORD"])


def test_tls_and_sasl_from_the_env_file_reach_the_kafka_client_of_every_antt_process():
    for name, svc in services().items():
        if not svc.get("command") or svc["command"][0] not in ("api", "relay", "consumer"):
            continue
        service = svc["command"][1]
        env = resolved_environment(name, {**example(), **MANAGED_CLUSTER})
        config = kafka_publisher(Settings.from_env(service, env), name).producer_config()
        assert config["bootstrap_servers"] == MANAGED_CLUSTER["KAFKA_BOOTSTRAP_SERVERS"].split(",")
        assert config["security_protocol"] == "SASL_SSL", name
        assert config["sasl_mechanism"] == "SCRAM-SHA-512", name
        assert config["sasl_plain_password"] == "from-the-env-file", name
        assert config["ssl_cafile"] == "/run/secrets/kafka-ca.pem", name
        assert config["ssl_check_hostname"] is True, name
        assert config["acks"] == "all" and config["enable_idempotence"] is True, name
        assert env["PGSSLMODE"] == "verify-full", name


def test_unset_tls_options_stay_out_of_the_kafka_client_configuration():
    env = resolved_environment("reporting-consumer", example())
    config = kafka_publisher(Settings.from_env("reporting", env), "t").producer_config()
    assert config["security_protocol"] == "PLAINTEXT"
    assert not {"sasl_mechanism", "sasl_plain_password", "ssl_cafile"} & config.keys()


@pytest.mark.parametrize("secret", ["ANTT_JWT_SECRET", "ANTT_REVIEW_DB_PASSWORD"])
def test_a_process_without_its_secret_in_the_env_file_is_refused_rather_than_defaulted(secret):
    env = {k: v for k, v in example().items() if k != secret}
    with pytest.raises(MissingVariable):
        resolved_environment("review-api", env)


def test_no_process_gets_a_database_url_but_its_own():
    for service in SERVICES:
        env = resolved_environment(f"{service}-consumer", example())
        urls = [k for k in env if k.endswith("_DATABASE_URL")]
        assert urls == [f"ANTT_{service.upper()}_DATABASE_URL"]
