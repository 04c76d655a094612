"""Each service's Alembic history builds exactly the tables its code declares, on both DBs."""

from __future__ import annotations

import importlib

import pytest
import sqlalchemy as sa

from shared.persistence import migrate, tables
from shared.persistence.engine import create_schema, make_engine

SERVICES = ("registration", "review", "notification", "reporting")


def service_metadata(service: str) -> sa.MetaData:
    return importlib.import_module(f"services.{service}.adapters.tables").metadata


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, pg):
    return f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite" else pg.new("mig")


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_a_migration_history(service):
    assert migrate.has_migrations(service)


@pytest.mark.parametrize("service", SERVICES)
def test_migrating_a_fresh_database_gives_exactly_the_tables_in_code(service, database_url):
    engine = make_engine(database_url)
    try:
        create_schema(engine, service_metadata(service), service=service)
        create_schema(engine, service_metadata(service), service=service)  # idempotent
        assert migrate.pending_changes(engine, service_metadata(service)) == []
        with engine.connect() as conn:
            assert conn.execute(sa.select(tables.log_head.c.position)).scalar_one() == 0
    finally:
        engine.dispose()


def test_a_database_made_before_migrations_is_adopted_without_losing_rows(database_url):
    engine = make_engine(database_url)
    try:
        md = service_metadata("review")
        with engine.begin() as conn:
            tables.metadata.create_all(conn)
            md.create_all(conn)
            conn.execute(tables.log_head.insert().values(id=1, position=7))
        create_schema(engine, md, service="review")
        with engine.connect() as conn:
            assert conn.execute(sa.select(tables.log_head.c.position)).scalar_one() == 7
            assert sa.inspect(conn).has_table("alembic_version")
        assert migrate.pending_changes(engine, md) == []
    finally:
        engine.dispose()
