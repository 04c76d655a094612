"""An in-memory broker with the Publisher and Subscription behaviour, for unit tests."""

from __future__ import annotations

import zlib
from collections import defaultdict

from shared.messaging.ports import Outgoing, Record


class InMemoryBroker:
    """Partitioned, ordered topics with per-group committed offsets; `wipe()` loses everything."""

    def __init__(self, partitions: int = 3):
        self.partitions = partitions
        self.topics: dict[str, list[list[Record]]] = {}
        self.committed: dict[str, dict[tuple[str, int], int]] = defaultdict(dict)

    def ensure_topics(self, topics: list[str]) -> None:
        for topic in topics:
            self.topics.setdefault(topic, [[] for _ in range(self.partitions)])

    def publish(self, topic: str, messages: list[Outgoing]) -> list[tuple[int, int]]:
        self.ensure_topics([topic])
        acks = []
        for m in messages:
            partition = zlib.crc32(m.key.encode()) % self.partitions
            log = self.topics[topic][partition]
            log.append(Record(topic, partition, len(log), m.key, m.value, m.headers))
            acks.append((log[-1].partition, log[-1].offset))
        return acks

    def append_raw(self, topic: str, key: str | None, value: bytes, partition: int = 0) -> None:
        """Put any bytes on a topic, as a misbehaving producer would."""
        self.ensure_topics([topic])
        log = self.topics[topic][partition]
        log.append(Record(topic, partition, len(log), key, value, {}))

    def event_id_at(self, topic: str, partition: int, offset: int) -> str | None:
        logs = self.topics.get(topic)
        if not logs or offset >= len(logs[partition]):
            return None
        return logs[partition][offset].headers.get("event_id")

    def wipe(self) -> None:
        self.topics.clear()
        self.committed.clear()

    def subscribe(self, group: str, topics: list[str]) -> InMemorySubscription:
        return InMemorySubscription(self, group, topics)

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass


class InMemorySubscription:
    """The only member of its group: it owns every partition of its topics."""

    def __init__(self, broker: InMemoryBroker, group: str, topics: list[str]):
        self.broker, self.group, self.topics = broker, group, topics
        self.positions: dict[tuple[str, int], int] = {}

    def poll(self, timeout_s: float = 0) -> list[Record]:
        out = []
        for (topic, partition), log in self._logs():
            pos = self.positions.get((topic, partition))
            if pos is None or pos > len(log):
                pos = self.broker.committed[self.group].get((topic, partition), 0)
            out.extend(log[pos : pos + 100])
            self.positions[(topic, partition)] = min(pos + 100, len(log))
        return out

    def commit(self, next_offsets: dict[tuple[str, int], int]) -> None:
        self.broker.committed[self.group].update(next_offsets)

    def seek(self, topic: str, partition: int, offset: int) -> None:
        self.positions[(topic, partition)] = offset

    def rewind(self) -> None:
        self.positions = {tp: 0 for tp, _ in self._logs()}

    def progress(self) -> list[tuple[str, int, int, int]]:
        return [(t, p, self.positions.get((t, p), 0), len(log)) for (t, p), log in self._logs()]

    def close(self) -> None:
        pass

    def _logs(self):
        for topic in self.topics:
            for partition, log in enumerate(self.broker.topics.get(topic, [])):
                yield (topic, partition), log
