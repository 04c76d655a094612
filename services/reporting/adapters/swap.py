"""Fresh tables beside the live ones, and the one transaction that puts them in their place."""

from __future__ import annotations

import sqlalchemy as sa

from services.reporting.adapters.tables import LIVE, REBUILD_SUFFIX, Tables


def create_fresh(engine: sa.Engine, fresh: Tables) -> None:
    with engine.begin() as conn:
        for table in reversed(fresh.all):
            table.drop(conn, checkfirst=True)
        for table in fresh.all:
            table.create(conn)


def lock_live(conn) -> None:
    """Hold the live consumer back until the swap commits (SQLite: BEGIN IMMEDIATE did)."""
    if conn.dialect.name == "postgresql":
        names = ", ".join(t.name for t in LIVE.all)
        conn.execute(sa.text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def swap_in(conn, fresh: Tables) -> None:
    """Drop the live tables and give the fresh ones (and their indexes) the live names."""
    for live in reversed(LIVE.all):
        live.drop(conn)
    for live, new in zip(LIVE.all, fresh.all, strict=True):
        conn.execute(sa.text(f'ALTER TABLE "{new.name}" RENAME TO "{live.name}"'))
        if conn.dialect.name == "postgresql":
            _rename_pg_relations(conn, new.name, live.name)
        else:
            _rename_sqlite_indexes(conn, new.name, live.name)


def _rename_pg_relations(conn, old: str, new: str) -> None:
    # Index, key and sequence names are schema-wide: free the fresh names for the next rebuild.
    rows = conn.execute(
        sa.text(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
            "AND c.relkind IN ('i', 'S') AND position(:old in c.relname) > 0"
        ),
        {"old": old},
    ).all()
    for name, kind in rows:
        what = "INDEX" if kind == "i" else "SEQUENCE"
        renamed = name.replace(old, new)
        conn.execute(sa.text(f'ALTER {what} "{name}" RENAME TO "{renamed}"'))


def _rename_sqlite_indexes(conn, old: str, new: str) -> None:
    rows = conn.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"),
        {"t": new},
    ).all()
    for name, sql in rows:
        if sql is None or old not in name:
            continue  # SQLite's own automatic indexes follow the table
        conn.execute(sa.text(f'DROP INDEX "{name}"'))
        conn.execute(sa.text(sql.replace(name, name.replace(old, new), 1)))


def fresh_name(base: str) -> str:
    return base + REBUILD_SUFFIX
