"""A peer for the command benchmark: the same `POST /dossiers` use case on the `eventsourcing`
library (9.5, PostgreSQL), with the same Flask + gunicorn and marshmallow validation.

gunicorn --workers 2 "bench.peer_app:create_app()" (ANTT_BENCH_DATABASE_URL: PostgreSQL)

An aggregate per unit-year is loaded, checked and saved: a first dossier of a unit-year finds
none and starts it, a second one for the same unit-year is refused with 409, as antt does
unless it was returned. It does less than antt's command (no token, no other streams read, no
cited documents checked, no outbox), so it is a peer to beat, not a floor.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, event
from flask import Flask, jsonify, request
from marshmallow import ValidationError

from services.registration.entrypoints.schemas import DossierIn

NAMESPACE = uuid.UUID("6f1c1d2e-3b4a-4c5d-8e9f-a0b1c2d3e4f5")


class UnitYear(Aggregate):
    """One unit's year: its dossier revisions."""

    @event("Started")
    def __init__(self, unit_id: str, year: int):
        self.unit_id, self.year, self.revisions = unit_id, year, []

    @event("DossierSubmitted")
    def submit(self, documents: list, self_assessment: list) -> None:
        self.revisions.append({"documents": documents, "self_assessment": self_assessment})

    @staticmethod
    def create_id(unit_id: str, year: int) -> uuid.UUID:
        """One aggregate per unit-year (the library calls this with the creation arguments)."""
        return uuid.uuid5(NAMESPACE, f"{unit_id}|{year}")


class Dossiers(Application):
    def submit(self, unit_id: str, year: int, documents: list, assessment: list) -> int:
        try:
            case = self.repository.get(UnitYear.create_id(unit_id, year))
        except AggregateNotFoundError:
            case = UnitYear(unit_id, year)
        if case.revisions:
            raise ValueError("already filed")
        case.submit(documents, assessment)
        self.save(case)
        return len(case.revisions)


def settings_from(url: str) -> dict:
    """The eventsourcing library's PostgreSQL settings from a SQLAlchemy-style URL."""
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://"))
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": parts.username or "postgres",
        "POSTGRES_PASSWORD": parts.password or "",
        "CREATE_TABLE": "y",
    }


def create_app() -> Flask:
    app, schema = Flask("antt-bench-peer"), DossierIn()
    dossiers = Dossiers(env=settings_from(os.environ["ANTT_BENCH_DATABASE_URL"]))

    @app.post("/api/v1/dossiers")
    def submit():
        try:
            body = schema.load(request.get_json())
        except ValidationError as err:
            return jsonify({"errors": err.messages}), 422
        try:
            revision = dossiers.submit(
                body["unit_id"], body["year"], body["documents"], body["self_assessment"]
            )
        except ValueError as err:
            return jsonify({"message": str(err)}), 409
        answer = jsonify({"dossier_id": f"{body['unit_id']}-{body['year']}", "revision": revision})
        answer.status_code = 201
        return answer

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
