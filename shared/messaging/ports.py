"""What the relay and the consumer loop need from a broker, whatever the broker is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class BrokerUnavailable(RuntimeError):
    """The broker did not take or give messages in time; the caller retries later."""


@dataclass(frozen=True)
class Outgoing:
    key: str
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)


class Publisher(Protocol):
    def ensure_topics(self, topics: list[str]) -> None: ...

    def publish(self, topic: str, messages: list[Outgoing]) -> list[tuple[int, int]]:
        """Publish in order, wait for every ack; return (partition, offset) per message."""

    def event_id_at(self, topic: str, partition: int, offset: int) -> str | None:
        """The `event_id` header of the record at that offset, or None if there is none."""

    def reset(self) -> None: ...

    def close(self) -> None: ...


class Subscription(Protocol):
    def poll(self, timeout_s: float) -> list[Record]: ...

    def commit(self, next_offsets: dict[tuple[str, int], int]) -> None: ...

    def seek(self, topic: str, partition: int, offset: int) -> None: ...

    def rewind(self) -> None:
        """Go back to the beginning of every assigned partition."""

    def progress(self) -> list[tuple[str, int, int, int]]:
        """(topic, partition, position, highwater) for each assigned partition."""

    def close(self) -> None: ...
