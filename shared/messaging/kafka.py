"""The only module that imports kafka: publisher, subscription and topic creation."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata

from shared.messaging.ports import BrokerUnavailable, Outgoing, Record

log = logging.getLogger(__name__)


# acks=all + idempotence: an acked event is on every in-sync replica, and a retry never
# duplicates it; max_in_flight stays at 5, the most idempotence keeps in order.
PRODUCER_DEFAULTS = {
    "acks": "all",
    "enable_idempotence": True,
    "linger_ms": 5,
    "max_block_ms": 15000,
    "request_timeout_ms": 15000,
    "retries": 5,
}


RECONNECT_BACKOFF_MAX_MS = 2000


def client_config(bootstrap: str, security: dict, client_id: str) -> dict:
    """Connection options shared by every client; TLS/SASL options pass through unchanged."""
    return {
        "bootstrap_servers": bootstrap.split(","),
        "client_id": client_id,
        # kafka-python backs off up to 30 s between reconnects by default: a broker that was away
        # for a while would then be noticed long after it is back, and the backlog wait with it.
        "reconnect_backoff_max_ms": RECONNECT_BACKOFF_MAX_MS,
        **security,
    }


@dataclass(frozen=True)
class TopicLayout:
    """How event topics are created: never expire, replicated as the cluster allows."""

    partitions: int = 6
    replication_factor: int = 1
    min_insync_replicas: int | None = None

    def configs(self) -> dict[str, str]:
        # Event topics are the system of record for rebuilds and audits: keep them forever.
        configs = {"retention.ms": "-1", "retention.bytes": "-1"}
        if self.min_insync_replicas:
            configs["min.insync.replicas"] = str(self.min_insync_replicas)
        return configs


class KafkaPublisher:
    """Idempotent producer with acks=all; publish() returns only when the broker has acked."""

    def __init__(
        self,
        bootstrap: str,
        security: dict,
        client_id: str,
        partitions: int = 6,
        layout: TopicLayout | None = None,
        producer_options: dict | None = None,
    ):
        self._config = client_config(bootstrap, security, client_id)
        self._layout = layout or TopicLayout(partitions)
        self._producer_options = {**PRODUCER_DEFAULTS, **(producer_options or {})}
        self._producer = None
        self._probe = None

    def ensure_topics(self, topics: list[str]) -> None:
        ensure_topics(self._config, topics, self._layout)

    def producer_config(self) -> dict:
        """Everything the producer is built with (TLS/SASL included), for checks and logs."""
        return {**self._config, **self._producer_options}

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
        tp = TopicPartition(topic, partition)
        try:
            if self._probe is None:
                self._probe = KafkaConsumer(**self._config, enable_auto_commit=False)
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
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                producer.close(timeout=5)
            except KafkaError as err:
                # Records still pending when the broker is gone: they are in the outbox, unmarked,
                # and go again with the next producer. Closing must never kill the relay.
                log.warning("producer closed with records pending: %r", err)
        self._close_probe()

    def _close_probe(self) -> None:
        probe, self._probe = self._probe, None
        if probe is not None:
            try:
                probe.close()
            except KafkaError as err:
                log.warning("probe consumer closed badly: %r", err)

    def _connect(self) -> KafkaProducer:
        try:
            self._producer = KafkaProducer(**self.producer_config())
        except KafkaError as err:
            raise BrokerUnavailable(f"cannot connect producer: {err!r}") from err
        return self._producer


class KafkaSubscription:
    """A consumer-group member with manual offset commits, that notices a log replaced.

    The group is named after the base name and the ids of its topics (KIP-516), so all
    instances of a consumer share one group while the log lives. When a topic's id changes (a
    memory broker restarted empty, a topic recreated), the old group, its members and its
    offsets belong to a log that no longer exists: the client is replaced by one in the group
    of the new incarnation, which has no committed offsets and so reads every topic from the
    beginning. Re-reading is harmless: the consumer's inbox skips what it has already applied.
    A group of its own also keeps members that died with the old log out of the new group.
    """

    def __init__(self, bootstrap, security, group_id, topics, session_timeout_ms=6000):
        self._topics = sorted(topics)
        self._base_group = group_id
        self._config = {
            **client_config(bootstrap, security, group_id),
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "session_timeout_ms": session_timeout_ms,
            "heartbeat_interval_ms": max(session_timeout_ms // 3, 500),
            "max_poll_records": 500,
        }
        self._identity = self._current_topic_ids()
        self._consumer = self._join()

    @property
    def group_id(self) -> str:
        return group_for(self._base_group, self._identity)

    def _current_topic_ids(self) -> dict[str, str]:
        try:
            probe = KafkaConsumer(**self._config)
        except KafkaError as err:
            raise BrokerUnavailable(f"cannot reach the broker: {err!r}") from err
        try:
            probe.topics()  # a metadata request for every topic, ids included
            cluster = probe._client.cluster  # kafka-python keeps topic ids only here
            return {t: str(cluster.topic_id(t) or "") for t in self._topics}
        except KafkaError as err:
            raise BrokerUnavailable(f"cannot read topic metadata: {err!r}") from err
        finally:
            probe.close()

    def _join(self) -> KafkaConsumer:
        try:
            consumer = KafkaConsumer(**self._config, group_id=self.group_id)
        except KafkaError as err:
            raise BrokerUnavailable(f"cannot join {self.group_id}: {err!r}") from err
        consumer.subscribe(self._topics)
        log.info("joined consumer group %s", self.group_id)
        return consumer

    def poll(self, timeout_s: float) -> list[Record]:
        try:
            if self._consumer is None:  # a rejoin that found the broker away: try again
                self._consumer = self._join()
            batches = self._consumer.poll(timeout_ms=int(timeout_s * 1000))
        except (KafkaError, BrokerUnavailable) as err:
            # The broker is away (kafka-python raises from its coordinator here): wait and poll
            # again; the worker must outlive an outage, not exit for a supervisor to restart it.
            log.warning("broker unreachable, polling again shortly: %r", err)
            time.sleep(timeout_s)
            return []
        if self._log_replaced():
            log.warning("topics recreated on the broker: rejoining and reading them from the start")
            self._replace_client()
            return []
        records = [_record(rec) for batch in batches.values() for rec in batch]
        return sorted(records, key=lambda r: (r.topic, r.partition, r.offset))

    def _replace_client(self) -> None:
        try:
            self._consumer.close(autocommit=False, timeout_ms=5000)
        except KafkaError as err:  # the old broker's group is gone; nothing to leave cleanly
            log.info("closing the old consumer: %r", err)
        self._consumer = None
        try:
            self._consumer = self._join()
        except BrokerUnavailable as err:
            log.warning("rejoin postponed: %s", err)

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
        if self._consumer is None:
            return out
        try:
            for tp in self._consumer.assignment():
                highwater = self._consumer.highwater(tp)
                if highwater is not None:
                    out.append((tp.topic, tp.partition, self._consumer.position(tp), highwater))
        except KafkaError as err:  # progress is advisory: the next report comes in seconds
            log.info("progress unknown while the broker is away: %r", err)
            return []
        return out

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close()

    def _log_replaced(self) -> bool:
        cluster = self._consumer._client.cluster
        now = {t: str(cluster.topic_id(t) or "") for t in self._topics}
        changed = {t: i for t, i in now.items() if i and i != self._identity.get(t)}
        self._identity.update(changed)
        return bool(changed)


def group_for(base: str, topic_ids: dict[str, str]) -> str:
    """`antt-review.1a2b3c4d`: stable while the topics live, new when they are recreated."""
    digest = hashlib.sha256("|".join(f"{t}={topic_ids[t]}" for t in sorted(topic_ids)).encode())
    return f"{base}.{digest.hexdigest()[:8]}"


def read_to_end(
    bootstrap, security, client_id: str, topics: list[str], partitions=None
) -> TopicsToEnd:
    """Every partition of `topics` (or only `partitions`, (topic, partition) pairs) to its end."""
    return TopicsToEnd(client_config(bootstrap, security, client_id), topics, partitions)


class TopicsToEnd:
    """Every partition of `topics` from its first offset to its end: no consumer group (nothing
    to join, nothing committed). The end is the larger of the listed end offset and the
    high-water mark the fetches report (a broker may list the start of its last batch)."""

    IDLE_POLLS = 5  # empty polls in a row after which a partition that never answers is let go

    def __init__(self, config: dict, topics: list[str], partitions=None):
        try:
            self._consumer = KafkaConsumer(**config, enable_auto_commit=False)
            self._consumer.topics()  # metadata for every topic before asking for partitions
            if partitions is None:
                partitions = [
                    (t, p)
                    for t in topics
                    for p in sorted(self._consumer.partitions_for_topic(t) or ())
                ]
            parts = [TopicPartition(t, p) for t, p in partitions]
            self._consumer.assign(parts)
            self._consumer.seek_to_beginning(*parts)
            self._ends = self._consumer.end_offsets(parts)
            self._starts = self._consumer.beginning_offsets(parts) if parts else {}
        except KafkaError as err:
            raise BrokerUnavailable(f"cannot read the topics' ends: {err!r}") from err
        self._closed = False

    def partitions(self) -> list[tuple[str, int]]:
        return [(tp.topic, tp.partition) for tp in self._ends]

    def total(self, partitions=None) -> int:
        """How many records there are to read (in `partitions`, (topic, partition) pairs, or in
        all), as far as the broker has said so far."""
        return sum(
            max(end, self._highwater(tp)) - self._starts.get(tp, 0)
            for tp, end in self._ends.items()
            if partitions is None or (tp.topic, tp.partition) in partitions
        )

    def close(self) -> None:
        if not self._closed:
            self._seen = {tp: self._consumer.highwater(tp) or 0 for tp in self._ends}
            self._closed = True
            self._consumer.close()

    def __iter__(self):
        idle = 0
        try:
            while self._behind() and idle < self.IDLE_POLLS:
                batches = self._consumer.poll(timeout_ms=1000)
                idle = 0 if batches else idle + 1
                for batch in batches.values():
                    yield from (_record(rec) for rec in batch)
        finally:
            self.close()

    def _highwater(self, tp) -> int:
        return self._seen[tp] if self._closed else self._consumer.highwater(tp) or 0

    def _behind(self) -> bool:
        for tp, end in self._ends.items():
            highwater = self._consumer.highwater(tp)
            if highwater is None or self._consumer.position(tp) < max(end, highwater):
                return True
        return False


def _record(rec) -> Record:
    headers = {k: v.decode(errors="replace") for k, v in (rec.headers or [])}
    key = rec.key.decode(errors="replace") if rec.key is not None else None
    return Record(rec.topic, rec.partition, rec.offset, key, rec.value or b"", headers)


def ensure_topics(config: dict, topics: list[str], layout: TopicLayout) -> None:
    """Create the topics that are missing; existing ones are left as they are."""
    try:
        admin = KafkaAdminClient(**config)
    except KafkaError as err:
        raise BrokerUnavailable(f"cannot reach the broker: {err!r}") from err
    try:
        missing = [t for t in topics if t not in set(admin.list_topics())]
        if missing:
            new = [
                NewTopic(
                    t,
                    num_partitions=layout.partitions,
                    replication_factor=layout.replication_factor,
                    topic_configs=layout.configs(),
                )
                for t in missing
            ]
            admin.create_topics(new, raise_errors=False)
            log.info("created topics %s", missing)
    except TopicAlreadyExistsError:
        pass
    except KafkaError as err:
        raise BrokerUnavailable(f"topic creation failed: {err!r}") from err
    finally:
        admin.close()
