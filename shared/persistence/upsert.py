"""Projection rows written by key in one statement (PostgreSQL, SQLite): upsert, insert-missing."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}
# Built once per table and column set: building a statement costs more than running it.
_BUILT: dict[tuple, sa.Insert] = {}


def upsert(conn, table: sa.Table, key: tuple[str, ...], values: dict, on_insert=None) -> None:
    """Write `values` into the row whose `key` columns equal theirs, or insert it. A new row
    also gets `on_insert` (its defaults, which an update must not reset). One statement, so two
    writers of one key (two consumer instances) never clash on the insert."""
    row = {**(on_insert or {}), **values}
    updated = tuple(name for name in values if name not in key)
    conn.execute(_statement(conn.dialect.name, table, key, updated, tuple(row)), row)


def insert_missing(conn, table: sa.Table, rows: dict | list[dict]) -> None:
    """Insert the rows whose primary key is not taken yet; the others stay as they are."""
    if rows:
        first = rows if isinstance(rows, dict) else rows[0]
        conn.execute(_statement(conn.dialect.name, table, (), (), tuple(first)), rows)


def _statement(dialect: str, table: sa.Table, key, updated, columns) -> sa.Insert:
    built_key = (dialect, table, key, updated, columns)
    statement = _BUILT.get(built_key)
    if statement is None:
        insert = _DIALECTS[dialect].insert(table)
        if updated:
            set_ = {name: insert.excluded[name] for name in updated}
            statement = insert.on_conflict_do_update(index_elements=list(key), set_=set_)
        else:
            statement = insert.on_conflict_do_nothing()
        _BUILT[built_key] = statement
    return statement
