"""The event envelope of CONTRACT.md, its canonical JSON and its SHA-256 hash chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from shared.bounded_json import WIRE_LIMIT_BYTES, Unreadable, loads_bounded

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


class EnvelopeTampered(EnvelopeInvalid):
    """A well-formed envelope whose hash does not match its content."""


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
        try:
            self.check_hash()
        except EnvelopeInvalid:
            return False
        return True

    def check_hash(self) -> None:
        """Raise EnvelopeTampered (or EnvelopeInvalid for text that is not Unicode)."""
        try:
            actual = envelope_hash(self.to_wire())
        except UnicodeEncodeError:
            # json.loads accepts "\ud800", but no UTF-8 text (and so no hash) can hold it.
            raise EnvelopeInvalid("text that is not valid Unicode (a lone surrogate)") from None
        if actual != self.hash:
            raise EnvelopeTampered("hash does not match the envelope's content")

    @classmethod
    def sealed(cls, **fields_but_hash) -> Envelope:
        wire = dict(fields_but_hash, hash=None)
        wire["hash"] = envelope_hash(wire)
        return cls(**wire)

    @classmethod
    def from_bytes(cls, raw: bytes, limit: int = WIRE_LIMIT_BYTES) -> Envelope:
        try:
            wire = loads_bounded(raw, limit)
        except Unreadable as err:
            raise EnvelopeInvalid(str(err)) from None
        return cls.from_wire(wire)

    @classmethod
    def read(cls, raw: bytes, limit: int = WIRE_LIMIT_BYTES) -> Envelope:
        """The one reader of a message from outside: bounded, validated and its hash checked.
        Raises EnvelopeInvalid (or EnvelopeTampered) with a reason a person can act on."""
        env = cls.from_bytes(raw, limit)
        env.check_hash()
        return env

    @classmethod
    def from_wire(cls, wire) -> Envelope:
        if not isinstance(wire, dict):
            raise EnvelopeInvalid("an envelope is a JSON object")
        if not _plainly_valid(wire):  # the schema decides, and says why
            try:
                _SCHEMA.load(wire)
            except ValidationError as err:
                raise EnvelopeInvalid(f"envelope fields: {err.messages_dict}") from None
        # Keep the values exactly as sent so the hash can be recomputed byte for byte.
        known = {k: wire.get(k) for k in FIELDS}
        return cls(**known, extra={k: v for k, v in wire.items() if k not in FIELDS})


# The schema's rules as plain checks, for the usual message: marshmallow costs several times
# the rest of reading an envelope, and every consumed event pays it.
_REQUIRED_TEXT = {
    "event_id": 36,
    "event_type": 100,
    "occurred_at": 40,
    "producer": 100,
    "stream_id": 200,
    "correlation_id": 100,
    "hash": 64,
}
_OPTIONAL_TEXT = {"unit_id": 100, "causation_id": 100, "prev_hash": 64}


def _plainly_valid(wire: dict) -> bool:
    """True when every field is certainly valid; False sends the message to the schema."""
    for name, size in _REQUIRED_TEXT.items():
        if not _text_ok(wire.get(name), size):
            return False
    for name, size in _OPTIONAL_TEXT.items():
        value = wire.get(name)
        if value is not None and not _text_ok(value, size):
            return False
    year = wire.get("year")
    return (
        _version_ok(wire.get("event_version"))
        and _version_ok(wire.get("stream_version"))
        and (year is None or (type(year) is int and 1900 <= year <= 9999))
        and type(wire.get("actor")) is dict
        and type(wire.get("payload")) is dict
    )


def _text_ok(value, size: int) -> bool:
    return type(value) is str and 0 < len(value) <= size and value.isprintable()


def _version_ok(value) -> bool:
    return type(value) is int and 1 <= value <= 2**31 - 1


# Every identifier fits its column (tables.py) and holds no control character (PostgreSQL
# text cannot store NUL): a message that breaks either is refused here, not by the database.
_PRINTABLE = validate.Regexp(r"^[^\x00-\x1f\x7f]*\Z")
_VERSION = validate.Range(min=1, max=2**31 - 1)


def _ident(size: int, **kw) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=size), _PRINTABLE], **kw)


class _EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    event_id = _ident(36, required=True)
    event_type = _ident(100, required=True)
    event_version = fields.Integer(required=True, strict=True, validate=_VERSION)
    occurred_at = _ident(40, required=True)
    producer = _ident(100, required=True)
    stream_id = _ident(200, required=True)
    stream_version = fields.Integer(required=True, strict=True, validate=_VERSION)
    unit_id = _ident(100, allow_none=True, load_default=None)
    year = fields.Integer(
        allow_none=True, load_default=None, strict=True, validate=validate.Range(1900, 9999)
    )
    actor = fields.Dict(required=True)
    correlation_id = _ident(100, required=True)
    causation_id = _ident(100, allow_none=True, load_default=None)
    prev_hash = _ident(64, allow_none=True, load_default=None)
    hash = _ident(64, required=True)
    payload = fields.Dict(required=True)


_SCHEMA = _EnvelopeSchema()
