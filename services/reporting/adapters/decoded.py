"""Stored events decoded once per process, so that a refold decodes only what is new to it."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime

from services.reporting.domain.lifecycle import Logged
from shared.envelope import Envelope
from shared.events import REGISTRY

# About 1 KiB each: a few thousand unit-years' stories, the ones a live consumer refolds.
SIZE = 20_000


class Decoded:
    """Logged events by (event_id, hash): the hash covers the whole envelope, so an entry can
    only stand for the very text it was decoded from (never a copy tampered with or reused)."""

    def __init__(self, size: int = SIZE):
        self.size = size
        self._kept: OrderedDict[tuple[str, str], Logged] = OrderedDict()

    def get(self, event_id: str, hash_: str) -> Logged | None:
        logged = self._kept.get((event_id, hash_))
        if logged is not None:
            self._kept.move_to_end((event_id, hash_))
        return logged

    def keep(self, event_id: str, hash_: str, logged: Logged) -> Logged:
        self._kept[(event_id, hash_)] = logged
        self._kept.move_to_end((event_id, hash_))
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return logged

    def clear(self) -> None:
        self._kept.clear()


KEPT = Decoded()


def uncached(env: Envelope, event=None) -> Logged:
    """What the fold needs of an envelope (`event`: its payload, if already decoded)."""
    return Logged(
        event or REGISTRY.decode(env.event_type, env.event_version, env.payload),
        str(env.actor.get("sub", "")),
        env.event_id,
        datetime.fromisoformat(env.occurred_at),
        env.stream_id,
        env.stream_version,
    )


def logged(env: Envelope, event=None) -> Logged:
    """uncached(), kept by (event id, hash) so that the next refold does not decode it again."""
    found = KEPT.get(env.event_id, env.hash)
    if found is not None:
        return found
    return KEPT.keep(env.event_id, env.hash, uncached(env, event))


def from_log_row(row, envelope_text: str | None) -> Logged:
    """A stored log row's event (its envelope text, read by the kernel's parser, only if the
    event is not kept yet)."""
    found = KEPT.get(row.event_id, row.hash)
    if found is not None:
        return found
    return KEPT.keep(row.event_id, row.hash, uncached(Envelope.from_bytes(envelope_text.encode())))
