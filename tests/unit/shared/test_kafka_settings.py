"""Production settings read from the environment reach the Kafka clients unchanged."""

from __future__ import annotations

from kafka import KafkaConsumer, KafkaProducer

from shared.config import Settings
from shared.messaging.kafka import TopicLayout
from shared.runtime import kafka_publisher

CLUSTER_ENV = {
    "KAFKA_BOOTSTRAP_SERVERS": "kafka-1:9092,kafka-2:9092,kafka-3:9092",
    "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
    "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
    "KAFKA_SASL_USERNAME": "antt-review",
    "KAFKA_SASL_PASSWORD": "s3cret",
    "KAFKA_SSL_CAFILE": "/run/secrets/kafka-ca.pem",
    "KAFKA_SSL_CHECK_HOSTNAME": "true",
    "KAFKA_REQUEST_TIMEOUT_MS": "30000",
    "KAFKA_RETRIES": "2147483647",
    "ANTT_TOPIC_REPLICATION_FACTOR": "3",
    "ANTT_TOPIC_MIN_INSYNC_REPLICAS": "2",
}


def test_tls_and_sasl_options_from_the_environment_reach_the_producer_configuration():
    config = kafka_publisher(Settings.from_env("review", CLUSTER_ENV), "t").producer_config()
    assert config["bootstrap_servers"] == ["kafka-1:9092", "kafka-2:9092", "kafka-3:9092"]
    assert config["security_protocol"] == "SASL_SSL"
    assert config["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (config["sasl_plain_username"], config["sasl_plain_password"]) == (
        "antt-review",
        "s3cret",
    )
    assert config["ssl_cafile"] == "/run/secrets/kafka-ca.pem"
    assert config["ssl_check_hostname"] is True


def test_the_producer_is_built_for_a_cluster_acks_all_idempotent_with_configured_retries():
    config = kafka_publisher(Settings.from_env("review", CLUSTER_ENV), "t").producer_config()
    assert config["acks"] == "all" and config["enable_idempotence"] is True
    assert config["request_timeout_ms"] == 30000 and config["retries"] == 2147483647


def test_every_passed_option_is_one_kafka_python_knows():
    config = kafka_publisher(Settings.from_env("review", CLUSTER_ENV), "t").producer_config()
    assert set(config) <= set(KafkaProducer.DEFAULT_CONFIG)
    security = Settings.from_env("review", CLUSTER_ENV).kafka_security
    assert set(security) <= set(KafkaConsumer.DEFAULT_CONFIG)


def test_event_topics_are_created_replicated_and_never_expiring():
    s = Settings.from_env("review", CLUSTER_ENV)
    layout = TopicLayout(
        s.topic_partitions, s.topic_replication_factor, s.topic_min_insync_replicas
    )
    assert layout.replication_factor == 3
    assert layout.configs() == {
        "retention.ms": "-1",
        "retention.bytes": "-1",
        "min.insync.replicas": "2",
    }


def test_without_cluster_settings_a_single_local_broker_is_assumed():
    s = Settings.from_env("review", {})
    assert s.kafka_security == {} and s.topic_replication_factor == 1
    assert s.kafka_bootstrap_servers == "127.0.0.1:9092"
