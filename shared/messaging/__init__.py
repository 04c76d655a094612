"""Messaging: the one Kafka adapter, an in-memory broker, the outbox relay and the consumer loop."""
