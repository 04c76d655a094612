"""A second ceiling of the command benchmark: the bare app plus one durable INSERT per request.

gunicorn --workers 2 "bench.bare_db_app:create_app()" (ANTT_BENCH_DATABASE_URL: PostgreSQL)

What any command that is kept must pay on this machine and stack: the same Flask + gunicorn,
the same engine settings as the services (shared.persistence.engine), one transaction with one
INSERT of the request body, committed synchronously. The registration API's command does its
checks, reads three streams and appends an event with its outbox row on top of that.
"""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa
from flask import Flask, jsonify, request

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
    app = Flask("antt-bench-bare-db")
    engine = make_engine(os.environ["ANTT_BENCH_DATABASE_URL"])
    insert = COMMANDS.insert()

    @app.post("/api/v1/dossiers")
    def dossiers():
        body = request.get_json()
        dossier_id = str(uuid.uuid4())
        with engine.begin() as conn:
            conn.execute(insert, {"id": dossier_id, "body": request.get_data(as_text=True)})
        answer = jsonify({"dossier_id": dossier_id, "revision": 1, "unit": body["unit_id"]})
        answer.status_code = 201
        return answer

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
