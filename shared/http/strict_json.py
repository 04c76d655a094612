"""Refuses JSON bodies the parser would choke on or read ambiguously: 400, never a 500."""

from __future__ import annotations

import json

from flask import request
from flask_smorest import abort

UNREADABLE = (
    "Nội dung JSON không đọc được: lồng quá sâu, số quá lớn, trùng khóa, ký tự Unicode không "
    "hợp lệ hoặc sai cú pháp (JSON body unreadable: too deep, number too large, duplicate key, "
    "invalid Unicode or syntax error)."
)


def _unique_keys(pairs: list) -> dict:
    # The same bytes must mean one command: parsers differ on which duplicate wins.
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"khóa '{key}' xuất hiện hai lần")
        seen.add(key)
    return dict(pairs)


def check_json_body() -> None:
    """before_request: a JSON body must parse, without duplicate keys, before any view reads it."""
    if not request.is_json:
        return
    data = request.get_data(cache=True)
    if not data:
        return
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=_unique_keys)
        # "\ud800" parses, but no event (UTF-8, hashed) can hold it: refuse it here, not at seal.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (RecursionError, ValueError) as err:  # JSONDecode-, UnicodeDecode-, UnicodeEncodeError
        abort(400, message=UNREADABLE, errors={"json": [str(err)[:200]]})
