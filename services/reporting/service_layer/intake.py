"""What a rebuild accepts from a broker record: exactly what the live consumer would apply."""

from __future__ import annotations

import hashlib
import json

from shared.envelope import FIELDS, Envelope, EnvelopeInvalid, canonical_json
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
# The envelope's keys before and after `hash` in canonical (sorted) order.
_BEFORE_HASH = sorted(k for k in FIELDS if k < "hash")
_AFTER_HASH = sorted(k for k in FIELDS if k > "hash")


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


def sealed_text(env: Envelope) -> tuple[str, str] | None:
    """(hash computed, canonical text with the hash) of an envelope, or None if its hash is
    wrong: one canonical encoding for both, cut at the place of `hash` (keys are sorted)."""
    head = canonical_json({k: getattr(env, k) for k in _BEFORE_HASH})
    tail = canonical_json({k: getattr(env, k) for k in _AFTER_HASH})
    digest = hashlib.sha256(head[:-1] + b"," + tail[1:]).hexdigest()
    if digest != env.hash:
        return None
    return digest, (head[:-1] + b',"hash":' + canonical_json(digest) + b"," + tail[1:]).decode()


def accepted_event(record, skipped) -> tuple[Envelope, object, str] | None:
    """(envelope, event, its canonical text) if the live consumer would apply the record, else
    None, counted in `skipped` by reason."""
    try:
        env = _envelope(record.value)
    except EnvelopeInvalid:
        skipped["not_an_envelope"] += 1
        return None
    sealed = sealed_text(env)
    if sealed is None:
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
    return env, event, sealed[1]


def stored_envelope(text: str) -> Envelope:
    """An envelope of reporting's own log (checked when it arrived), read the fast way."""
    return _envelope(text.encode())
