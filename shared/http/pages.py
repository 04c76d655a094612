"""Lists at the HTTP edge: `limit` and an opaque `cursor` in, an RFC 8288 `Link` header out."""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import quote, urlencode

from flask import request
from marshmallow import Schema, fields, validate

from shared.persistence.keyset import DEFAULT_LIMIT, MAX_LIMIT, BadCursor, Page, Paged

MAX_CURSOR_CHARS = 1024
MAX_KEY_VALUES = 8
MAX_TEXT = 400
INT_BOUND = 2**31
URI_SAFE = ":/?#[]@!$&'()*+,;=%~"
LINK_DOC = {
    "Link": {
        "description": 'RFC 8288: `<…>; rel="next"` — the address of the next page, when there '
        "is one (the same request with a new `cursor`).",
        "schema": {"type": "string"},
    }
}


class PageQuery(Schema):
    """The two query parameters every list takes (a list's own query schema extends this)."""

    limit = fields.Int(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(
            min=1,
            max=MAX_LIMIT,
            error=f"'limit' phải từ 1 đến {MAX_LIMIT} (mặc định {DEFAULT_LIMIT}).",
        ),
        metadata={"description": f"Số mục mỗi trang (1–{MAX_LIMIT}, mặc định {DEFAULT_LIMIT})."},
    )
    cursor = fields.Str(
        validate=validate.Length(
            min=1,
            max=MAX_CURSOR_CHARS,
            error="'cursor' quá dài: dùng nguyên giá trị lấy từ tiêu đề Link.",
        ),
        metadata={"description": "Lấy từ tiêu đề Link của trang trước; không tự tạo."},
    )


def requested(query: dict) -> Page:
    """Take `limit` and `cursor` out of a parsed query (the rest are the list's own filters)."""
    limit = query.pop("limit", DEFAULT_LIMIT)
    cursor = query.pop("cursor", None)
    return Page(limit, decode(cursor) if cursor is not None else None)


def encode(key: tuple) -> str:
    text = json.dumps(list(key), separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def decode(cursor: str) -> tuple:
    """The key a cursor carries: a short flat list of bounded strings and integers, else 422."""
    if len(cursor) > MAX_CURSOR_CHARS:
        raise BadCursor("Con trỏ quá dài.")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw.decode("ascii"))
    except (ValueError, binascii.Error, RecursionError):
        # UnicodeError and JSONDecodeError are ValueErrors: a non-ASCII or garbled cursor.
        raise BadCursor("Con trỏ không đọc được.") from None
    if not isinstance(key, list) or not 0 < len(key) <= MAX_KEY_VALUES:
        raise BadCursor("Con trỏ không đọc được.")
    for value in key:
        _check_value(value)
    return tuple(key)


def _check_value(value) -> None:
    if type(value) is int:
        if not -INT_BOUND <= value < INT_BOUND:
            raise BadCursor("Con trỏ chứa số ngoài giới hạn.")
        return
    if type(value) is not str or len(value) > MAX_TEXT or "\x00" in value:
        raise BadCursor("Con trỏ không đọc được.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which no database column can hold
        raise BadCursor("Con trỏ không đọc được.") from None


def answer(paged: Paged, items=None):
    """The view's return value: the page's items (or `items`, the same page shaped for the
    body), with a `Link: <…>; rel="next"` header when another page follows."""
    body = paged.items if items is None else items
    if paged.next_key is None:
        return body
    return body, {"Link": f'<{next_url(encode(paged.next_key))}>; rel="next"'}


def next_url(cursor: str) -> str:
    """This request's absolute address with `cursor` in place of the one it had."""
    args = request.args.to_dict(flat=False)
    args["cursor"] = [cursor]
    # base_url is an IRI (a unit id may be Vietnamese); a header carries only ASCII, and a
    # quoted address never holds the `>` that would end it early.
    base = quote(request.base_url, safe=URI_SAFE)
    return f"{base}?{urlencode(args, doseq=True)}"
