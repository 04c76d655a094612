"""What a rebuild accepts from a broker record: exactly what the live consumer would apply."""

from __future__ import annotations

from shared.envelope import Envelope, EnvelopeInvalid
from shared.events import REGISTRY
from shared.events.registry import EventVersionTooNew, PayloadInvalid, UnknownEventType


def accepted_event(record, skipped) -> tuple[Envelope, object, str] | None:
    """(envelope, event, its canonical text) if the live consumer would apply the record, else
    None, counted in `skipped` by reason.

    The kernel's parser and hash, as the live consumer uses them: every field is kept (one a
    newer producer added too), so the stored text is the one the hash was computed over."""
    try:
        env = Envelope.from_bytes(record.value)
    except EnvelopeInvalid:
        skipped["not_an_envelope"] += 1
        return None
    if not env.hash_ok:
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
    return env, event, env.to_bytes().decode()
