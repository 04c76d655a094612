"""The only module that imports kafka: publisher, subscription and topic creation."""

from __future__ import annotations

import logging
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata

from shared.messaging.ports import BrokerUnavailable, Outgoing, Record

log = logging.getLogger(__name__)


def client_config(bootstrap: str, security: dict, client_id: str) -> dict:
    """Connection options shared by every client; TLS/SASL options pass through unchanged."""
    return {"bootstrap_servers": bootstrap.split(","), "client_id": client_id, **security}


class KafkaPublisher:
    """Idempotent producer with acks=all; publish() returns only when the broker has acked."""

    def __init__(self, bootstrap: str, security: dict, client_id: str, partitions: int = 6):
        self._config = client_config(bootstrap, security, client_id)
        self._partitions = partitions
        self._producer = None
        self._probe = None

    def ensure_topics(self, topics: list[str]) -> None:
        ensure_topics(self._config, topics, self._partitions)

    def publish(self, topic: str, messages: list[Outgoing]) -> list[tuple[int, int]]:
        producer = self._producer or self._connect()
        try:
            futures = [
                producer.send(
                    topic,
                    key=m.key.encode(),
                    value=m.value,
                    headers=[(k, v.encode()) for k, v in m.headers.items()],
                )
                for m in messages
            ]
            producer.flush(timeout=30)
            return [(md.partition, md.offset) for md in (f.get(timeout=30) for f in futures)]
        except KafkaError as err:
            raise BrokerUnavailable(f"publish to {topic} failed: {err!r}") from err

    def event_id_at(self, topic: str, partition: int, offset: int) -> str | None:
        # One group-less consumer serves every probe; it is rebuilt only after a failure.
        if self._probe is None:
            self._probe = KafkaConsumer(**self._config, enable_auto_commit=False)
        tp = TopicPartition(topic, partition)
        try:
            self._probe.assign([tp])
            self._probe.seek(tp, offset)
            for batch in self._probe.poll(timeout_ms=3000).values():
                for rec in batch:
                    if rec.offset == offset:
                        return dict(rec.headers or []).get("event_id", b"").decode() or None
            return None
        except KafkaError as err:
            self._close_probe()
            raise BrokerUnavailable(f"probe of {topic}/{partition} failed: {err!r}") from err

    def reset(self) -> None:
        # After a broker restart the old producer id is unknown there: start a fresh session.
        self.close()

    def close(self) -> None:
        if self._producer is not None:
            self._producer.close(timeout=5)
            self._producer = None
        self._close_probe()

    def _close_probe(self) -> None:
        if self._probe is not None:
            self._probe.close()
            self._probe = None

    def _connect(self) -> KafkaProducer:
        try:
            self._producer = KafkaProducer(
                **self._config,
                acks="all",
                enable_idempotence=True,
                linger_ms=5,
                max_block_ms=15000,
                request_timeout_ms=15000,
                retries=5,
            )
        except KafkaError as err:
            raise BrokerUnavailable(f"cannot connect producer: {err!r}") from err
        return self._producer


class KafkaSubscription:
    """A consumer-group member with manual offset commits, that notices a log replaced.

    When a topic's id changes (a memory broker restarted, a topic recreated) the committed
    offsets point into a log that no longer exists: for a while after that, every assignment
    starts from the beginning. Re-reading is harmless; the consumer's inbox skips repeats.
    """

    REPLACED_WINDOW_S = 120.0

    def __init__(self, bootstrap, security, group_id, topics, session_timeout_ms=6000):
        self._topics = list(topics)
        self._identity: dict[str, object] = {}
        self._replaced_until = 0.0
        self._consumer = KafkaConsumer(
            **client_config(bootstrap, security, group_id),
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            session_timeout_ms=session_timeout_ms,
            heartbeat_interval_ms=max(session_timeout_ms // 3, 500),
            max_poll_records=500,
        )
        self._consumer.subscribe(self._topics, listener=_Rewinder(self))

    def poll(self, timeout_s: float) -> list[Record]:
        batches = self._consumer.poll(timeout_ms=int(timeout_s * 1000))
        if self._log_replaced():
            log.warning("topics recreated on the broker: reading them again from the start")
            self._replaced_until = time.monotonic() + self.REPLACED_WINDOW_S
            self.rewind()
            return []
        records = [_record(rec) for batch in batches.values() for rec in batch]
        return sorted(records, key=lambda r: (r.topic, r.partition, r.offset))

    def commit(self, next_offsets: dict[tuple[str, int], int]) -> None:
        if not next_offsets:
            return
        offsets = {
            TopicPartition(t, p): OffsetAndMetadata(off, "", -1)
            for (t, p), off in next_offsets.items()
        }
        try:
            self._consumer.commit(offsets)
        except KafkaError as err:
            # A failed commit (rebalance, or a broker that lost the group) only means records
            # may come again; the inbox makes that harmless, and the next poll rejoins.
            log.warning("offset commit failed, records may be redelivered: %r", err)

    def seek(self, topic: str, partition: int, offset: int) -> None:
        self._consumer.seek(TopicPartition(topic, partition), offset)

    def rewind(self) -> None:
        assigned = list(self._consumer.assignment())
        if assigned:
            self._consumer.seek_to_beginning(*assigned)

    def progress(self) -> list[tuple[str, int, int, int]]:
        out = []
        for tp in self._consumer.assignment():
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                out.append((tp.topic, tp.partition, self._consumer.position(tp), highwater))
        return out

    def close(self) -> None:
        self._consumer.close()

    def rewinding(self) -> bool:
        return time.monotonic() < self._replaced_until

    def _log_replaced(self) -> bool:
        # kafka-python keeps topic ids (KIP-516) only in its private cluster metadata.
        cluster = self._consumer._client.cluster
        now = {t: cluster.topic_id(t) for t in self._topics}
        changed = any(
            i and self._identity.get(t) and self._identity[t] != i for t, i in now.items()
        )
        self._identity.update({t: i for t, i in now.items() if i})
        return changed


class _Rewinder(ConsumerRebalanceListener):
    def __init__(self, subscription: KafkaSubscription):
        self.subscription = subscription

    def on_partitions_revoked(self, revoked):
        pass

    def on_partitions_assigned(self, assigned):
        if assigned and self.subscription.rewinding():
            self.subscription._consumer.seek_to_beginning(*assigned)


def _record(rec) -> Record:
    headers = {k: v.decode(errors="replace") for k, v in (rec.headers or [])}
    key = rec.key.decode(errors="replace") if rec.key is not None else None
    return Record(rec.topic, rec.partition, rec.offset, key, rec.value or b"", headers)


def ensure_topics(config: dict, topics: list[str], partitions: int) -> None:
    """Create the topics that are missing; existing ones are left as they are."""
    try:
        admin = KafkaAdminClient(**config)
    except KafkaError as err:
        raise BrokerUnavailable(f"cannot reach the broker: {err!r}") from err
    try:
        missing = [t for t in topics if t not in set(admin.list_topics())]
        if missing:
            new = [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in missing]
            admin.create_topics(new, raise_errors=False)
            log.info("created topics %s", missing)
    except TopicAlreadyExistsError:
        pass
    except KafkaError as err:
        raise BrokerUnavailable(f"topic creation failed: {err!r}") from err
    finally:
        admin.close()
