"""Several streams of a store read in one query, each stored event decoded once a process."""

from __future__ import annotations

import json

import sqlalchemy as sa

from shared.persistence.tables import events

# Built once: a command reads several streams together (registration: unit, campaign, case).
_STREAMS = (
    sa.select(
        events.c.stream_id,
        events.c.stream_version,
        events.c.hash,
        events.c.event_type,
        events.c.event_version,
        events.c.envelope,
    )
    .where(events.c.stream_id.in_(sa.bindparam("streams", expanding=True)))
    .order_by(events.c.stream_id, events.c.stream_version)
)
# A stored event never changes and its hash covers every byte of it, so the hash is a safe key.
# Mostly the campaign's events, which every command of the year reads again.
_DECODED: dict[tuple[int, str], object] = {}
_MAX_DECODED = 4096


def events_of_streams(store, conn, stream_ids: list[str], heads: dict | None = None) -> dict:
    """Stream id → its decoded events in version order (an empty list for an empty stream).
    `heads`, if given, gets stream id → (version, hash of the last event) for EventStore.append;
    streams with no event are left out (their head is (0, None))."""
    found = {stream_id: [] for stream_id in stream_ids}
    for row in conn.execute(_STREAMS, {"streams": list(stream_ids)}):
        found[row.stream_id].append(_decoded(store, row))
        if heads is not None:
            heads[row.stream_id] = (row.stream_version, row.hash)
    return found


def _decoded(store, row):
    key = (id(store.registry), row.hash)
    event = _DECODED.get(key)
    if event is None:
        # The store sealed this row itself: only the payload needs reading and checking (by the
        # event's schema), not the envelope's fields again.
        payload = json.loads(row.envelope)["payload"]
        event = store.registry.decode(row.event_type, row.event_version, payload)
        if len(_DECODED) >= _MAX_DECODED:
            _DECODED.clear()
        _DECODED[key] = event
    return event
