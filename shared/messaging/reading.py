"""A record off a topic to an envelope and its event: every check, and nothing but Unprocessable."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from shared.bounded_json import WIRE_LIMIT_BYTES
from shared.envelope import Envelope, EnvelopeInvalid, EnvelopeTampered
from shared.events import TOPICS, Registry
from shared.events.registry import EventVersionTooNew, PayloadInvalid, UnknownEventType
from shared.messaging.claims import Unprocessable
from shared.messaging.ports import Record

log = logging.getLogger(__name__)
_PRODUCER_OF_TOPIC = {topic: producer for producer, topic in TOPICS.items()}


@dataclass(frozen=True)
class Reading:
    envelope: Envelope
    event: object | None  # None: an event type this code does not know (skipped, counted)

    @property
    def unknown(self) -> bool:
        return self.event is None


def read_record(record: Record, registry: Registry, limit: int = WIRE_LIMIT_BYTES) -> Reading:
    """Decode and check one record: bounded JSON, envelope shape, hash, producer and topic,
    version, payload schema. Raises Unprocessable (with a kind and a reason) and nothing else."""
    try:
        env = Envelope.from_bytes(record.value, limit)
    except EnvelopeInvalid as err:
        raise Unprocessable(f"not an envelope: {err}", kind="malformed") from None
    try:
        env.check_hash()
    except EnvelopeTampered as err:
        raise Unprocessable(str(err), env, "tampered") from None
    except EnvelopeInvalid as err:
        raise Unprocessable(f"not an envelope: {err}", env, "malformed") from None
    _check_origin(record.topic, env, registry)
    return Reading(env, _decode(env, registry))


def _check_origin(topic: str, env: Envelope, registry: Registry) -> None:
    """Each event type has one producer, and each producer one topic: anything else was put
    there by a process that has no business writing it (RecognitionDecided on
    antt.registration, say)."""
    expected = _PRODUCER_OF_TOPIC.get(topic)
    if expected is not None and env.producer != expected:
        raise Unprocessable(
            f"producer {env.producer!r} does not write to {topic} (only {expected} does)",
            env,
            "wrong_producer",
        )
    spec = registry.specs.get(env.event_type)
    if spec is not None and spec.producer != env.producer:
        raise Unprocessable(
            f"{env.event_type} is produced by {spec.producer}, not by {env.producer!r}",
            env,
            "wrong_producer",
        )


def _decode(env: Envelope, registry: Registry):
    try:
        return registry.decode(env.event_type, env.event_version, env.payload)
    except UnknownEventType:
        return None
    except EventVersionTooNew as err:
        raise Unprocessable(str(err), env, "too_new") from None
    except PayloadInvalid as err:
        raise Unprocessable(_bounded(str(err)), env, "invalid_payload") from None
    except Exception as err:  # an upcaster or schema that chokes on a payload it never expected
        log.warning("decoding %s v%s failed: %r", env.event_type, env.event_version, err)
        raise Unprocessable(
            f"{env.event_type} v{env.event_version}: payload cannot be read ({type(err).__name__})",
            env,
            "invalid_payload",
        ) from None


def _bounded(text: str, size: int = 1000) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
