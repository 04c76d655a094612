"""The event envelope of CONTRACT.md, its canonical JSON and its SHA-256 hash chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from marshmallow import EXCLUDE, Schema, ValidationError, fields

FIELDS = (
    "event_id event_type event_version occurred_at producer stream_id stream_version "
    "unit_id year actor correlation_id causation_id prev_hash hash payload"
).split()


def canonical_json(value) -> bytes:
    """Keys sorted at every level, no whitespace, UTF-8 rather than \\u escapes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def envelope_hash(wire: dict) -> str:
    """Hex SHA-256 of the envelope without its `hash` key, as an outside auditor computes it."""
    unsealed = {k: v for k, v in wire.items() if k != "hash"}
    return hashlib.sha256(canonical_json(unsealed)).hexdigest()


class EnvelopeInvalid(ValueError):
    """A message is not a well-formed envelope."""


@dataclass(frozen=True)
class Envelope:
    event_id: str
    event_type: str
    event_version: int
    occurred_at: str
    producer: str
    stream_id: str
    stream_version: int
    unit_id: str | None
    year: int | None
    actor: dict
    correlation_id: str
    causation_id: str | None
    prev_hash: str | None
    hash: str
    payload: dict
    # Top-level fields a newer producer added: kept as sent, since the hash covers them too.
    extra: dict = field(default_factory=dict)

    def to_wire(self) -> dict:
        # Shallow: the nested dicts are shared, not copied (dataclasses.asdict deep-copies the
        # payload, a measurable share of every append and every consumed event). Read-only use.
        return {**self.extra, **{name: getattr(self, name) for name in FIELDS}}

    def to_bytes(self) -> bytes:
        return canonical_json(self.to_wire())

    @property
    def hash_ok(self) -> bool:
        return envelope_hash(self.to_wire()) == self.hash

    @classmethod
    def sealed(cls, **fields_but_hash) -> Envelope:
        wire = dict(fields_but_hash, hash=None)
        wire["hash"] = envelope_hash(wire)
        return cls(**wire)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        try:
            wire = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise EnvelopeInvalid(f"not JSON: {err}") from None
        return cls.from_wire(wire)

    @classmethod
    def from_wire(cls, wire) -> Envelope:
        if not isinstance(wire, dict):
            raise EnvelopeInvalid("an envelope is a JSON object")
        try:
            data = _SCHEMA.load(wire)
        except ValidationError as err:
            raise EnvelopeInvalid(f"envelope fields: {err.messages_dict}") from None
        # Keep the values exactly as sent so the hash can be recomputed byte for byte.
        known = {k: wire.get(k) for k in FIELDS} | {"payload": data["payload"]}
        return cls(**known, extra={k: v for k, v in wire.items() if k not in FIELDS})


class _EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    event_id = fields.String(required=True)
    event_type = fields.String(required=True)
    event_version = fields.Integer(required=True, strict=True)
    occurred_at = fields.String(required=True)
    producer = fields.String(required=True)
    stream_id = fields.String(required=True)
    stream_version = fields.Integer(required=True, strict=True)
    unit_id = fields.String(allow_none=True, load_default=None)
    year = fields.Integer(allow_none=True, load_default=None, strict=True)
    actor = fields.Dict(required=True)
    correlation_id = fields.String(required=True)
    causation_id = fields.String(allow_none=True, load_default=None)
    prev_hash = fields.String(allow_none=True, load_default=None)
    hash = fields.String(required=True)
    payload = fields.Dict(required=True)


_SCHEMA = _EnvelopeSchema()
