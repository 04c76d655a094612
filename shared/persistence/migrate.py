"""Schema migrations with Alembic: a kernel branch, and one branch per service that needs it."""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from shared.persistence import tables

log = logging.getLogger(__name__)
ENV_DIR = Path(__file__).with_name("migrations")
# The kernel's own tables (events, outbox, inbox, …) are migrated once, here, for every service.
KERNEL_VERSIONS = ENV_DIR / "versions"
SCHEMA_LOCK = 72417240


def versions_dir(service: str) -> Path:
    package = importlib.import_module(f"services.{service}")
    return Path(package.__file__).with_name("migrations")


def has_migrations(service: str) -> bool:
    try:
        return any(versions_dir(service).glob("*.py"))
    except ModuleNotFoundError:
        return False


def alembic_config(service: str | None, metadata: sa.MetaData) -> Config:
    """`service=None`: the kernel branch alone (to write kernel revisions)."""
    locations = [KERNEL_VERSIONS] + ([versions_dir(service)] if service else [])
    cfg = Config()
    cfg.set_main_option("script_location", str(ENV_DIR))
    cfg.set_main_option("version_locations", os.pathsep.join(str(p) for p in locations))
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
            command.stamp(cfg, "heads")
        else:
            command.upgrade(cfg, "heads")


def pending_changes(engine: sa.Engine, *service_metadata: sa.MetaData) -> list:
    """What the tables in code have that the migrated database lacks (empty = in step)."""
    from alembic.autogenerate import compare_metadata

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, combined_metadata(*service_metadata))


def new_revision(engine: sa.Engine, service: str | None, message: str, *service_metadata) -> None:
    """Autogenerate the next revision of a service's branch (or of the kernel's, service=None)
    from the difference between the code and a database brought to the current heads."""
    branch = service or "kernel"
    cfg = alembic_config(service, combined_metadata(*service_metadata))
    script = ScriptDirectory.from_config(cfg)
    start_branch = branch not in _branch_labels(script)
    target_dir = versions_dir(service) if service else KERNEL_VERSIONS
    target_dir.mkdir(exist_ok=True)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        if script.get_heads():
            command.upgrade(cfg, "heads")
        command.revision(
            cfg,
            message=message,
            autogenerate=True,
            head="base" if start_branch else f"{branch}@head",
            branch_label=branch if start_branch else None,
            version_path=str(target_dir),
            depends_on=_kernel_head(script) if start_branch and service else None,
        )


def _branch_labels(script: ScriptDirectory) -> set[str]:
    return {label for rev in script.walk_revisions() for label in rev.branch_labels}


def _kernel_head(script: ScriptDirectory) -> str:
    return script.get_revision("kernel@head").revision


def lock_schema(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})"))


def _created_before_migrations(conn: sa.Connection) -> bool:
    inspector = sa.inspect(conn)
    return inspector.has_table("events") and not inspector.has_table("alembic_version")
