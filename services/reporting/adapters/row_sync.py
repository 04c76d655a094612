"""Bring a projection table's rows of some keys to what their folds say, writing only changes."""

from __future__ import annotations

import sqlalchemy as sa

CHUNK = 500


def sync_rows(conn, table: sa.Table, scope: tuple[str, ...], keys, rows: list[dict], line=()):
    """Make the rows of `table` whose `scope` columns hold one of `keys` exactly `rows`.

    A row is told apart by its scope columns and its `line` columns (a criterion's id): an
    unchanged row is left alone, a changed one updated in place, a missing one inserted and
    one the fold no longer gives deleted; a few statements for any number of keys.
    """
    keys = set(keys)
    if not keys:
        return
    natural = (*scope, *line)
    have = {tuple(r[c] for c in natural): r for r in _current(conn, table, scope, keys)}
    inserts, updates = [], []
    for row in rows:
        old = have.pop(tuple(row[c] for c in natural), None)
        if old is None:
            inserts.append(row)
        elif any(old[c] != v for c, v in row.items()):
            updates.append({"_id": old["id"], **{f"_{c}": v for c, v in row.items()}})
    if updates:
        columns = list(rows[0])
        conn.execute(
            table.update()
            .where(table.c.id == sa.bindparam("_id"))
            .values({c: sa.bindparam(f"_{c}") for c in columns}),
            updates,
        )
    gone = sorted(r["id"] for r in have.values())
    for i in range(0, len(gone), CHUNK):
        conn.execute(table.delete().where(table.c.id.in_(gone[i : i + CHUNK])))
    if inserts:
        conn.execute(table.insert(), inserts)


def _current(conn, table: sa.Table, scope: tuple[str, ...], keys: set[tuple]) -> list:
    """The table's rows of these keys (read by their first column, then filtered)."""
    firsts = sorted({key[0] for key in keys})
    out = []
    for i in range(0, len(firsts), CHUNK):
        query = sa.select(table).where(table.c[scope[0]].in_(firsts[i : i + CHUNK]))
        for n, column in enumerate(scope[1:], 1):
            query = query.where(table.c[column].in_(sorted({key[n] for key in keys})))
        out.extend(r for r in conn.execute(query).mappings() if tuple(r[c] for c in scope) in keys)
    return out
