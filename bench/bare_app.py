"""The ceiling of the command benchmark: Flask + gunicorn answering the same request, no work.

gunicorn --workers 2 "bench.bare_app:create_app()"
"""

from __future__ import annotations

import uuid

from flask import Flask, jsonify, request


def create_app() -> Flask:
    app = Flask("antt-bench-bare")

    @app.post("/api/v1/dossiers")
    def dossiers():
        body = request.get_json()
        answer = jsonify({"dossier_id": str(uuid.uuid4()), "revision": 1, "unit": body["unit_id"]})
        answer.status_code = 201
        return answer

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
