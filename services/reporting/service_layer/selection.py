"""Which stored events a report reads: those within the log positions and up to `as_of`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shared.envelope import Envelope


@dataclass(frozen=True)
class LogPositions:
    """The part of the log a report read: per topic and partition the next offset after it;
    `last_seq` is the last stored event read whose broker position is unknown (a replayed
    parked record), so that events without a position are chosen by their place in the log."""

    last_seq: int = 0
    positions: dict[str, dict[str, int]] = field(default_factory=dict)

    def holds(self, seq: int, topic: str, partition, offset) -> bool:
        if offset is None:
            return seq <= self.last_seq
        return offset < self.positions.get(topic, {}).get(str(partition), 0)

    def to_dict(self) -> dict:
        return {"last_seq": self.last_seq, "positions": self.positions}

    @classmethod
    def from_dict(cls, data: dict) -> LogPositions:
        positions = {
            str(t): {str(p): int(o) for p, o in parts.items()}
            for t, parts in (data.get("positions") or {}).items()
        }
        return cls(int(data.get("last_seq") or 0), positions)

    @classmethod
    def of_rows(cls, rows) -> LogPositions:
        """The positions that cover exactly `rows` (seq, topic, partition, offset, …)."""
        last_seq, heads = 0, {}
        for row in rows:
            if row.offset is None:
                last_seq = max(last_seq, row.seq)
            else:
                parts = heads.setdefault(row.topic, {})
                key = str(row.partition)
                parts[key] = max(parts.get(key, 0), row.offset + 1)
        ordered = {
            t: dict(sorted(p.items(), key=lambda i: int(i[0]))) for t, p in sorted(heads.items())
        }
        return cls(last_seq, ordered)


def select(rows, within: LogPositions, as_of: datetime | None) -> list[Envelope]:
    """Envelopes of `rows` inside the positions that had happened by `as_of` (every one when
    None), deduplicated."""
    chosen: dict[str, Envelope] = {}
    for row in rows:
        if not within.holds(row.seq, row.topic, row.partition, row.offset):
            continue
        env = Envelope.from_bytes(row.envelope.encode())
        if as_of is None or datetime.fromisoformat(env.occurred_at) <= as_of:
            chosen.setdefault(env.event_id, env)
    return list(chosen.values())


def latest(envs: list[Envelope], now: datetime) -> datetime:
    """The report's moment when none is asked: now, or the latest event if a producer's clock
    runs ahead of ours, so that every event known is in the report."""
    return max([now, *(datetime.fromisoformat(env.occurred_at) for env in envs)])
