"""Certificate codes: the decision event's id enciphered under a secret key (a keyed
permutation), so a code names one decision, reveals nothing and cannot be guessed.

A four-round Feistel network with HMAC-SHA256 rounds permutes the event id's 16 bytes; an
8-byte HMAC tag follows, so a forged code is refused before any database read. Base32 without
padding, 40 characters (25 bytes). Nothing is stored: the code is recomputed from the event id.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import uuid

ROUNDS = 4
TAG_BYTES = 9
LENGTH = 40  # base32 of 16 + 9 bytes: no padding


def _round(key: bytes, i: int, half: bytes) -> bytes:
    return hmac.new(key, bytes([i]) + half, hashlib.sha256).digest()[:8]


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def _tag(key: bytes, block: bytes) -> bytes:
    return hmac.new(key, b"tag" + block, hashlib.sha256).digest()[:TAG_BYTES]


def encode(key: bytes, event_id: str) -> str:
    left, right = uuid.UUID(event_id).bytes[:8], uuid.UUID(event_id).bytes[8:]
    for i in range(ROUNDS):
        left, right = right, _xor(left, _round(key, i, right))
    block = left + right
    return base64.b32encode(block + _tag(key, block)).decode().rstrip("=")


def decode(key: bytes, code: str) -> str | None:
    """The event id a code names, or None for a code this key never made."""
    if len(code) != LENGTH or not code.isascii():
        return None
    try:
        raw = base64.b32decode(code.upper() + "=" * (-len(code) % 8))
    except (binascii.Error, ValueError):
        return None
    block, tag = raw[:16], raw[16:]
    if not hmac.compare_digest(tag, _tag(key, block)):
        return None
    left, right = block[:8], block[8:]
    for i in reversed(range(ROUNDS)):
        left, right = _xor(right, _round(key, i, left)), left
    return str(uuid.UUID(bytes=left + right))
