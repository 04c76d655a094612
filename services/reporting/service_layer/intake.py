"""What a rebuild accepts from a broker record: exactly what the live consumer would apply."""

from __future__ import annotations

import json

from shared.envelope import FIELDS, Envelope, EnvelopeInvalid, envelope_hash
from shared.events import REGISTRY
from shared.events.registry import EventVersionTooNew, PayloadInvalid, UnknownEventType

# The envelope fields and the JSON types Envelope.from_wire accepts for them.
_TYPES = {
    "event_id": (str,),
    "event_type": (str,),
    "event_version": (int,),
    "occurred_at": (str,),
    "producer": (str,),
    "stream_id": (str,),
    "stream_version": (int,),
    "unit_id": (str, type(None)),
    "year": (int, type(None)),
    "actor": (dict,),
    "correlation_id": (str,),
    "causation_id": (str, type(None)),
    "prev_hash": (str, type(None)),
    "hash": (str,),
    "payload": (dict,),
}
_OPTIONAL = {"unit_id", "year", "causation_id", "prev_hash"}


def _envelope(raw: bytes) -> Envelope:
    """Envelope.from_bytes, with a fast path for the common well-formed message."""
    try:
        wire = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return Envelope.from_bytes(raw)  # raises EnvelopeInvalid with the reason
    if isinstance(wire, dict) and all(
        (k in wire or k in _OPTIONAL)
        and isinstance(wire.get(k), types)
        and not (isinstance(wire.get(k), bool) and int in types)
        for k, types in _TYPES.items()
    ):
        return Envelope(**{k: wire.get(k) for k in FIELDS})
    return Envelope.from_wire(wire)


def accepted_event(record, skipped) -> tuple[Envelope, object] | None:
    """(envelope, event) if the live consumer would apply the record, else None, counted in
    `skipped` by reason."""
    try:
        env = _envelope(record.value)
    except EnvelopeInvalid:
        skipped["not_an_envelope"] += 1
        return None
    if envelope_hash({k: getattr(env, k) for k in FIELDS}) != env.hash:
        skipped["hash_mismatch"] += 1
        return None
    try:
        event = REGISTRY.decode(env.event_type, env.event_version, env.payload)
    except UnknownEventType:
        skipped["unknown_type"] += 1
        return None
    except (EventVersionTooNew, PayloadInvalid):
        skipped["unreadable_payload"] += 1
        return None
    return env, event


def stored_envelope(text: str) -> Envelope:
    """An envelope of reporting's own log (checked when it arrived), read the fast way."""
    return _envelope(text.encode())
