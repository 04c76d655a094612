"""JSON from outside, bounded: refused before decoding when too big or nested too deep."""

from __future__ import annotations

import json
import re

# What one message may cost before anything is decoded: Kafka's default message.max.bytes is
# about 1 MB, and no event of ours nests deeper than a handful of levels.
WIRE_LIMIT_BYTES = 1_000_000
MAX_DEPTH = 32


class Unreadable(ValueError):
    """Bytes this code will not read as JSON: too big, nested too deep, not UTF-8, not JSON."""


def loads_bounded(raw: bytes, limit: int = WIRE_LIMIT_BYTES):
    """json.loads of UTF-8 bytes, refusing before decoding what is too big or nests too deep."""
    if not isinstance(raw, bytes | bytearray):
        raise Unreadable("not bytes")
    if len(raw) > limit:
        raise Unreadable(f"{len(raw)} bytes, more than the limit of {limit}")
    if not _depth_within(raw, MAX_DEPTH):
        raise Unreadable(f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise Unreadable(f"not UTF-8: {err}") from None
    except (ValueError, RecursionError) as err:  # JSONDecodeError, or an int of 5,000 digits
        raise Unreadable(f"not JSON: {err}") from None


# Escapes travel as one token so that an escaped quote never opens or closes a string.
_JSON_TOKENS = re.compile(rb'\\.|["\[\]{}]', re.DOTALL)


def _depth_within(raw: bytes, most: int) -> bool:
    # Fewer brackets than the limit cannot nest deeper than it: every usual event stops here.
    if raw.count(b"[") + raw.count(b"{") <= most:
        return True
    depth, in_string = 0, False
    for token in _JSON_TOKENS.findall(raw):
        if token == b'"':
            in_string = not in_string
        elif in_string or len(token) == 2:
            continue
        elif token in (b"[", b"{"):
            depth += 1
            if depth > most:
                return False
        else:
            depth -= 1
    return True
