"""Where a rebuild reads the events from: the broker's topics from offset 0, or the stored log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import sqlalchemy as sa

from services.reporting.adapters.tables import LIVE
from shared.messaging.ports import Record


class BrokerTopics:
    """Every topic from its first offset to the end it had when the rebuild began.

    Read without a consumer group (partitions assigned directly, nothing committed), so the
    live consumer group is left alone and there is no group to join; events published after
    the start are applied by the catch-up from the live log at the swap.
    """

    def __init__(self, settings, topics):
        from shared.runtime import kafka_publisher

        s = settings
        # Topics missing on a fresh cluster are created with the configured layout (RF, ISR).
        publisher = kafka_publisher(s, "rebuild")
        publisher.ensure_topics(list(topics))
        publisher.close()
        self._whole = PartitionShare(s.kafka_bootstrap_servers, s.kafka_security, list(topics))
        self._share_totals: dict[int, int] = {}
        self._reader = self._whole.open()

    def total(self) -> int | None:
        if self._share_totals:
            return sum(self._share_totals.values())
        return self._reader.total()

    def __iter__(self) -> Iterator[Record]:
        return iter(self._reader)

    def shares(self, n: int) -> list[PartitionShare]:
        """The partitions dealt into at most `n` shares, each to be read by its own process.

        A stream's events are all in one partition (keyed by unit or stream), so each share
        keeps every stream's order; only the interleaving across partitions changes, as it
        does between any two reads.
        """
        parts = self._reader.partitions()
        dealt = [parts[i::n] for i in range(max(1, min(n, len(parts))))]
        self._share_totals = {i: self._reader.total(part) for i, part in enumerate(dealt)}
        self._reader.close()  # the shares read; this one only listed the partitions and ends
        return [replace(self._whole, partitions=part) for part in dealt]

    def share_read(self, index: int, total: int) -> None:
        """What share `index` has to read as its reader now knows it (ends can only grow)."""
        self._share_totals[index] = total


@dataclass(frozen=True)
class PartitionShare:
    """Some partitions of the topics (None: all of them), read to their ends by whichever
    process opens it."""

    bootstrap: str
    security: dict
    topics: list[str]
    partitions: list[tuple[str, int]] | None = None

    def open(self):
        """The share's records, in order per partition; `.total()` says how many there are."""
        from shared.messaging.kafka import read_to_end

        where = (self.bootstrap, self.security, "rebuild", self.topics, self.partitions)
        return read_to_end(*where)


class StoredLog:
    """reporting's own durable copy of every event, in the order it arrived."""

    def __init__(self, engine: sa.Engine, batch: int = 2000):
        self.engine, self.batch = engine, batch

    def total(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(LIVE.event_log)).scalar()

    def __iter__(self) -> Iterator[Record]:
        log, after = LIVE.event_log, 0
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(log.c.seq, log.c.topic, log.c.partition, log.c.offset)
                    .add_columns(log.c.stream_id, log.c.envelope)
                    .where(log.c.seq > after)
                    .order_by(log.c.seq)
                    .limit(self.batch)
                ).all()
            if not rows:
                return
            for row in rows:
                yield Record(
                    row.topic,
                    -1 if row.partition is None else row.partition,
                    -1 if row.offset is None else row.offset,
                    row.stream_id,
                    row.envelope.encode(),
                    {"seq": str(row.seq)},
                )
            after = rows[-1].seq
