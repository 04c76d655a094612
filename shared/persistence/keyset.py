"""Lists read a page at a time by keyset: rows after the last key seen, never by OFFSET."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from shared.errors import Invalid

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
# A filtered list reads this many rows a round at least, so that a caller who may see few of
# them does not cost one query per row.
FILTERED_CHUNK = 200


class BadCursor(Invalid):
    """A cursor that does not fit the list it is used on (forged, stale or from another list);
    its `errors` name the query parameter the way a refused `limit` does."""

    def __init__(self, why: str):
        super().__init__(
            "Tham số 'cursor' không hợp lệ; bỏ nó đi để đọc lại từ trang đầu.",
            {"query": {"cursor": [why]}},
        )


@dataclass(frozen=True)
class Page:
    """Which page a caller asks for: at most `limit` items after the key `after`."""

    limit: int = DEFAULT_LIMIT
    after: tuple | None = None


@dataclass(frozen=True)
class Paged:
    """One page of items and the key to continue after (None on the last page)."""

    items: list
    next_key: tuple | None = None


def read_page(
    conn,
    query: sa.Select,
    order: Sequence,
    page: Page,
    pick: Callable[[sa.Row], object | None] | None = None,
) -> Paged:
    """Run `query` in `order` (columns, or `column.desc()`; together unique and never NULL) from
    after `page.after`; `pick` turns a row into an item, or None to leave it out."""
    columns = [_column(o) for o in order]
    key = _checked(columns, page.after)
    chunk = page.limit + 1 if pick is None else max(page.limit + 1, FILTERED_CHUNK)
    items: list = []
    keys: list[tuple] = []
    while True:
        q = query.order_by(*order).limit(chunk)
        rows = conn.execute(q.where(_after(order, columns, key)) if key else q).all()
        for row in rows:
            key = tuple(row._mapping[c.key] for c in columns)
            item = row if pick is None else pick(row)
            if item is None:
                continue
            if len(items) == page.limit:
                return Paged(items, keys[-1])
            items.append(item)
            keys.append(key)
        if len(rows) < chunk:
            return Paged(items, None)


def _column(expr):
    """The column under an order element (`col` or `col.desc()`)."""
    return getattr(expr, "element", expr)


def _descending(expr) -> bool:
    return getattr(expr, "modifier", None) is sa.sql.operators.desc_op


def _after(order, columns, key: tuple):
    """Rows strictly after `key` in `order`: (a > x) or (a = x and b > y) or …"""
    branches = []
    for i, column in enumerate(columns):
        equal = [c == v for c, v in zip(columns[:i], key[:i], strict=True)]
        beyond = column < key[i] if _descending(order[i]) else column > key[i]
        branches.append(sa.and_(*equal, beyond))
    return sa.or_(*branches)


def _checked(columns, key: tuple | None) -> tuple | None:
    """The cursor's key, when it has one value of the right type per sort column."""
    if key is None:
        return None
    if len(key) != len(columns):
        raise BadCursor("Con trỏ không thuộc danh sách này.")
    for column, value in zip(columns, key, strict=True):
        if type(value) is not column.type.python_type:
            raise BadCursor("Con trỏ không thuộc danh sách này.")
    return key
