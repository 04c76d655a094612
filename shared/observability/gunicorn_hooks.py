"""Gunicorn settings module (`--config python:shared.observability.gunicorn_hooks`): the
arbiter's own lines (booting, worker exits) take the form ANTT_LOG_FORMAT chose, like the
workers' (which create_app sets up)."""

from __future__ import annotations


def on_starting(server) -> None:
    from shared.observability.logs import setup_logging

    uri = getattr(server.app, "app_uri", "") or ""
    parts = uri.split(".")
    service = parts[1] if len(parts) > 2 and parts[0] == "services" else "antt"
    setup_logging(service, "api")
