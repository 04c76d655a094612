"""The kernel's upsert and insert-missing, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from shared.persistence.upsert import insert_missing, upsert

pytestmark = pytest.mark.integration

md = sa.MetaData()
rows = sa.Table(
    "rows",
    md,
    sa.Column("unit_id", sa.String(20), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(20)),
    sa.Column("count", sa.Integer, nullable=False),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    engine = sa.create_engine(url)
    md.create_all(engine)
    yield engine
    engine.dispose()


def table(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(rows).order_by(rows.c.unit_id))]


def test_an_upsert_inserts_with_its_defaults_then_updates_only_the_given_columns(engine):
    key = {"unit_id": "kdc-1", "year": 2026}
    with engine.begin() as conn:
        upsert(conn, rows, ("unit_id", "year"), key | {"name": "A"}, on_insert={"count": 0})
    assert table(engine) == [("kdc-1", 2026, "A", 0)]
    with engine.begin() as conn:
        upsert(conn, rows, ("unit_id", "year"), key | {"count": 3}, on_insert={"count": 0})
        upsert(conn, rows, ("unit_id", "year"), key | {"name": "B"}, on_insert={"count": 0})
    assert table(engine) == [("kdc-1", 2026, "B", 3)]


def test_insert_missing_keeps_the_rows_already_there(engine):
    with engine.begin() as conn:
        insert_missing(conn, rows, {"unit_id": "a", "year": 1, "name": "first", "count": 1})
        insert_missing(
            conn,
            rows,
            [
                {"unit_id": "a", "year": 1, "name": "again", "count": 2},
                {"unit_id": "b", "year": 1, "name": "new", "count": 2},
            ],
        )
        insert_missing(conn, rows, [])
    assert table(engine) == [("a", 1, "first", 1), ("b", 1, "new", 2)]
