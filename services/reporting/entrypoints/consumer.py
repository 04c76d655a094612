"""Process: reporting's consumer (every event of every topic, with its broker position)."""

from services.reporting.bootstrap import bootstrap
from services.reporting.service_layer.handlers import CURRENT_RECORD
from shared.messaging.consumer import IdempotentConsumer
from shared.runtime import consumer_name, setup_logging, stop_on_signals


class PositionedConsumer(IdempotentConsumer):
    """The kernel's consumer, telling reporting's handler which record it is applying."""

    def process(self, record):
        token = CURRENT_RECORD.set(record)
        try:
            return super().process(record)
        finally:
            CURRENT_RECORD.reset(token)


def make_consumer(rt) -> PositionedConsumer:
    return PositionedConsumer(consumer_name(rt.settings.service), rt.engine, rt.handlers, rt.clock)


def run(rt) -> None:
    """shared.runtime.consumer_main, with the positioned consumer."""
    from shared.messaging.kafka import KafkaPublisher, KafkaSubscription
    from shared.messaging.outbox import ensure_topics_when_reachable

    s, topics, stop = rt.settings, list(rt.consumer_topics), stop_on_signals()
    publisher = KafkaPublisher(
        s.kafka_bootstrap_servers, s.kafka_security, "topics", s.topic_partitions
    )
    ensure_topics_when_reachable(publisher, topics, stop)
    publisher.close()
    consumer = make_consumer(rt)
    subscription = KafkaSubscription(
        s.kafka_bootstrap_servers,
        s.kafka_security,
        consumer.name,
        topics,
        s.consumer_session_timeout_ms,
    )
    try:
        consumer.run(subscription, stop)
    finally:
        subscription.close()


def main() -> None:
    setup_logging()
    run(bootstrap())


if __name__ == "__main__":
    main()
