"""The ceiling of the command benchmark: Flask + gunicorn answering the same request, no work.

gunicorn --workers 2 "bench.bare_app:create_app()"
"""

from __future__ import annotations

import uuid

from flask import Flask, jsonify, request


def create_app(keep=None, name: str = "antt-bench-bare") -> Flask:
    """`keep(dossier_id, body_text)`, if given, runs before the answer (bench/bare_db_app.py)."""
    app = Flask(name)

    @app.post("/api/v1/dossiers")
    def dossiers():
        body = request.get_json()
        dossier_id = str(uuid.uuid4())
        if keep is not None:
            keep(dossier_id, request.get_data(as_text=True))
        answer = jsonify({"dossier_id": dossier_id, "revision": 1, "unit": body["unit_id"]})
        answer.status_code = 201
        return answer

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
