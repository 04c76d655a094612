"""Engines for PostgreSQL and SQLite from one URL, and schema creation at start-up."""

from __future__ import annotations

import select
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from shared.persistence import tables

TRANSIENT_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError)


def make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    engine = sa.create_engine(url, pool_size=5, max_overflow=5)
    event.listen(engine, "checkout", _refuse_closed_by_server)
    return engine


def _refuse_closed_by_server(dbapi_conn, _record, _proxy) -> None:
    """pool_pre_ping without its round trip (one per transaction, about a tenth of a command's
    time): a pooled connection whose server went away (a restart, an idle timeout) has its
    socket readable, the server's goodbye or the end of the stream, while a live idle one has
    nothing to say. Such a connection is replaced by a new one (the pool retries the checkout)
    rather than failing the request that would have used it."""
    if dbapi_conn.closed or select.select([dbapi_conn.fileno()], [], [], 0)[0]:
        raise sa.exc.DisconnectionError("the database server closed this pooled connection")


def _sqlite_engine(url: str) -> sa.Engine:
    path = sa.engine.make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        # Let SQLAlchemy own transactions, so BEGIN IMMEDIATE below takes the write lock
        # up front: two writers then queue instead of failing on a lock upgrade.
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA foreign_keys=ON")
        if path and path != ":memory:":
            dbapi_conn.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_schema(engine: sa.Engine, *service_metadata: sa.MetaData, service: str = "") -> None:
    """Bring the schema up to date: the service's Alembic history if it has one, else create
    the kernel tables and the given projections if missing (idempotent either way)."""
    from shared.persistence import migrate

    if service and migrate.has_migrations(service):
        migrate.upgrade(engine, service, *service_metadata)
    else:
        with engine.begin() as conn:
            migrate.lock_schema(conn)
            for md in (tables.metadata, *service_metadata):
                md.create_all(conn)
    with engine.begin() as conn:
        migrate.lock_schema(conn)
        if conn.execute(sa.select(tables.log_head.c.id)).first() is None:
            conn.execute(tables.log_head.insert().values(id=1, position=0))
