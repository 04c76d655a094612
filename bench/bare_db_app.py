"""A second ceiling of the command benchmark: the bare app plus one durable INSERT per request.

gunicorn --workers 2 "bench.bare_db_app:create_app()" (ANTT_BENCH_DATABASE_URL: PostgreSQL)
gunicorn --workers 2 "bench.bare_db_app:create_driver_app()"

What any command that is kept must pay on this machine and stack: the same Flask + gunicorn,
the same engine settings as the services (shared.persistence.engine), one transaction with one
INSERT of the request body, committed synchronously. The registration API's command does its
checks, reads three streams and appends an event with its outbox row on top of that.

The driver app is the floor under both: no SQLAlchemy, no transaction block, one read and one
write (each its own implicit transaction, the write committed synchronously) through psycopg
itself with server-side prepared statements — the least a command that reads before it writes
can cost on this machine, whatever the code above the driver does.
"""

from __future__ import annotations

import os

import psycopg
import sqlalchemy as sa
from flask import Flask

from bench import bare_app
from shared.persistence.engine import make_engine

COMMANDS = sa.Table(
    "bench_commands",
    sa.MetaData(),
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
)


def create_table(url: str) -> None:
    """Made before gunicorn starts: two workers creating it at once would race."""
    engine = sa.create_engine(url)
    COMMANDS.metadata.create_all(engine)
    engine.dispose()


def create_app() -> Flask:
    engine = make_engine(os.environ["ANTT_BENCH_DATABASE_URL"])
    insert = COMMANDS.insert()

    def keep(dossier_id: str, body: str) -> None:
        with engine.begin() as conn:
            conn.execute(insert, {"id": dossier_id, "body": body})

    return bare_app.create_app(keep, "antt-bench-bare-db")


def create_driver_app() -> Flask:
    url = os.environ["ANTT_BENCH_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    held: list[psycopg.Connection] = []  # one connection per worker, opened after the fork

    def keep(dossier_id: str, body: str) -> None:
        if not held:
            held.append(psycopg.connect(url, autocommit=True, prepare_threshold=0))
        conn = held[0]
        conn.execute("SELECT 1 FROM bench_commands WHERE id = %s", (dossier_id,)).fetchone()
        conn.execute("INSERT INTO bench_commands (id, body) VALUES (%s, %s)", (dossier_id, body))

    return bare_app.create_app(keep, "antt-bench-bare-driver")
