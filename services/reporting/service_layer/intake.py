"""What a rebuild accepts from a broker record: exactly what the live consumer would apply."""

from __future__ import annotations

from shared.envelope import Envelope
from shared.events import REGISTRY
from shared.messaging.claims import Unprocessable
from shared.messaging.reading import read_record


def accepted_event(record, skipped) -> tuple[Envelope, object, str] | None:
    """(envelope, event, its canonical text) if the live consumer would apply the record, else
    None, counted in `skipped` by the kind the live consumer would park it under (malformed,
    tampered, wrong_producer, too_new, invalid_payload) or as `unknown_type`.

    The live consumer's own reader (`messaging.reading.read_record`): the same bounds, checks and
    decoding, and every field kept (one a newer producer added too), so the stored text is the
    one the hash was computed over."""
    try:
        reading = read_record(record, REGISTRY)
    except Unprocessable as err:
        skipped[err.kind] += 1
        return None
    if reading.unknown:
        skipped["unknown_type"] += 1
        return None
    env = reading.envelope
    return env, reading.event, env.to_bytes().decode()
