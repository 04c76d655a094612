"""The app factory every API uses: flask-smorest, error shape, health, metrics."""

from __future__ import annotations

import time

from flask import Flask, current_app, g, request
from prometheus_client import Counter, Histogram

from shared.http import health, parked, swagger_assets
from shared.http.errors import AnttApi, register_error_handlers
from shared.http.health import metrics_registry
from shared.http.strict_json import check_json_body
from shared.observability import logs, tracing


def make_app(settings, engine, title: str, blueprints, extensions: dict) -> Flask:
    """Build a Flask app around one service's blueprints; `extensions` land in app.config."""
    app = Flask(title)
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=swagger_assets.URL,
        OPENAPI_SWAGGER_UI_CONFIG=swagger_assets.CONFIG,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 1024 * 1024,
        JSON_AS_ASCII=False,
        ANTT_SETTINGS=settings,
        ANTT_ENGINE=engine,
        ANTT_METRICS=metrics_registry(engine, settings.service),
        **extensions,
    )
    app.json.ensure_ascii = False
    api = AnttApi(app, spec_kwargs=_security_scheme())
    for bp in (*blueprints, parked.blp):
        api.register_blueprint(bp, url_prefix="/api/v1")
    app.register_blueprint(health.blueprint)
    app.register_blueprint(swagger_assets.blueprint)
    register_error_handlers(app)
    app.before_request(check_json_body)
    _instrument(app, settings.service)
    _log_context(app)
    tracing.instrument_app(app)
    return app


def current_runtime():
    """The Runtime of the service whose app handles this request (set by its create_app)."""
    return current_app.config["ANTT_RUNTIME"]


def _security_scheme() -> dict:
    return {
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            }
        },
        "security": [{"bearer": []}],
    }


def _instrument(app: Flask, service: str) -> None:
    registry = app.config["ANTT_METRICS"]
    requests = Counter(
        "antt_http_requests",
        "HTTP requests",
        ["service", "method", "route", "code"],
        registry=registry,
    )
    latency = Histogram(
        "antt_http_seconds", "HTTP latency", ["service", "route"], registry=registry
    )

    @app.before_request
    def _start():
        g.started = time.perf_counter()

    @app.after_request
    def _count(response):
        route = request.url_rule.rule if request.url_rule else "unmatched"
        requests.labels(service, request.method, route, response.status_code).inc()
        if "started" in g:
            latency.labels(service, route).observe(time.perf_counter() - g.started)
        return response


def _log_context(app: Flask) -> None:
    """Each request's log lines (and span) name the unit and year its address names, if any;
    the correlation id joins once the command appends (event_store.append)."""

    @app.before_request
    def _about():
        args = request.view_args or {}
        logs.LOG_CONTEXT.set({})
        logs.remember(unit_id=args.get("unit_id"), year=args.get("year"))

    @app.teardown_request
    def _forget(_exc):
        logs.LOG_CONTEXT.set(None)
