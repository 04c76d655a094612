"""Schema migrations with Alembic: one history per service, kernel tables included."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext

from shared.persistence import tables

log = logging.getLogger(__name__)
ENV_DIR = Path(__file__).with_name("migrations")
SCHEMA_LOCK = 72417240


def versions_dir(service: str) -> Path:
    package = importlib.import_module(f"services.{service}")
    return Path(package.__file__).with_name("migrations")


def has_migrations(service: str) -> bool:
    try:
        return any(versions_dir(service).glob("*.py"))
    except ModuleNotFoundError:
        return False


def alembic_config(service: str, metadata: sa.MetaData) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ENV_DIR))
    cfg.set_main_option("version_locations", str(versions_dir(service)))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["target_metadata"] = metadata
    return cfg


def combined_metadata(*service_metadata: sa.MetaData) -> sa.MetaData:
    """The kernel's tables and the service's projections as one MetaData, for Alembic."""
    md = sa.MetaData()
    for source in (tables.metadata, *service_metadata):
        for table in source.tables.values():
            table.to_metadata(md)
    return md


def upgrade(engine: sa.Engine, service: str, *service_metadata: sa.MetaData) -> None:
    """Bring the service's database to the newest revision (one process at a time)."""
    cfg = alembic_config(service, combined_metadata(*service_metadata))
    with engine.begin() as conn:
        lock_schema(conn)
        cfg.attributes["connection"] = conn
        if _created_before_migrations(conn):
            # A database made by create_all before this service had migrations: adopt it.
            log.warning("%s: database predates migrations; stamping it at head", service)
            combined_metadata(*service_metadata).create_all(conn)
            command.stamp(cfg, "head")
        else:
            command.upgrade(cfg, "head")


def pending_changes(engine: sa.Engine, *service_metadata: sa.MetaData) -> list:
    """What the tables in code have that the migrated database lacks (empty = in step)."""
    from alembic.autogenerate import compare_metadata

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, combined_metadata(*service_metadata))


def new_revision(engine: sa.Engine, service: str, message: str, *service_metadata) -> None:
    """Autogenerate the next revision from the difference between code and database."""
    cfg = alembic_config(service, combined_metadata(*service_metadata))
    versions_dir(service).mkdir(exist_ok=True)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True)


def lock_schema(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})"))


def _created_before_migrations(conn: sa.Connection) -> bool:
    inspector = sa.inspect(conn)
    return inspector.has_table("events") and not inspector.has_table("alembic_version")
