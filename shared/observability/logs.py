"""Structured logs: JSON lines (ANTT_LOG_FORMAT=json) or the readable form (text, the default).

Every line names its service and process and, where known, the trace and span, the command's
correlation id, the unit and the year. Whatever looks like a bearer token is blanked before a
line is written, whoever logged it."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

# What the current request or record is about: correlation_id, unit_id, year (see `about`).
LOG_CONTEXT: ContextVar[dict | None] = ContextVar("antt_log_context", default=None)
_FIELDS = ("correlation_id", "unit_id", "year")
# A JWT (three base64url parts, the first two JSON objects) or the value of a Bearer header.
_SECRET = re.compile(r"eyJ[\w-]*\.eyJ[\w-]*\.[\w-]*|(?i:bearer)\s+[\w.~+/=-]+")
_TEXT = "%(asctime)s %(process_name)s %(name)s %(levelname)s %(message)s"


@contextlib.contextmanager
def about(**fields):
    """Lines logged inside carry these fields (None values are left out)."""
    merged = {**(LOG_CONTEXT.get() or {}), **{k: v for k, v in fields.items() if v is not None}}
    token = LOG_CONTEXT.set(merged)
    try:
        yield
    finally:
        LOG_CONTEXT.reset(token)


def remember(**fields) -> None:
    """Add fields to the current context until it ends (an HTTP request, a record, a mail);
    outside any, nothing: a value set there would stick to every later line of the process."""
    current = LOG_CONTEXT.get()
    if current is not None:
        current.update({k: v for k, v in fields.items() if v is not None})


def redact(text: str) -> str:
    return _SECRET.sub("[redacted]", text)


class ContextFilter(logging.Filter):
    """Stamps each record with the process's names, the trace and the current context."""

    def __init__(self, service: str, process: str):
        super().__init__()
        self.service, self.process = service, process

    def filter(self, record: logging.LogRecord) -> bool:
        record.service, record.process_name = self.service, self.process
        record.trace_id, record.span_id = _trace_ids()
        context = LOG_CONTEXT.get() or {}
        for name in _FIELDS:
            setattr(record, name, context.get(name))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; fields without a value are left out."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": getattr(record, "service", None),
            "process": getattr(record, "process_name", None),
            "logger": record.name,
            "message": redact(record.getMessage()),
            "trace_id": getattr(record, "trace_id", None),
            "span_id": getattr(record, "span_id", None),
            **{name: getattr(record, name, None) for name in _FIELDS},
        }
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps({k: v for k, v in line.items() if v is not None}, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__(_TEXT)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "process_name"):
            record.process_name = "-"
        return redact(super().format(record))


def formatter(log_format: str | None = None) -> logging.Formatter:
    chosen = (log_format or os.environ.get("ANTT_LOG_FORMAT") or "text").strip().lower()
    return JsonFormatter() if chosen == "json" else TextFormatter()


def setup_logging(service: str, process: str, log_format: str | None = None) -> None:
    """The one logging set-up: the root logger writes to stderr in the chosen form, and the
    handlers gunicorn made (its error and access logs) take the same form and stamps."""
    stamp, form = ContextFilter(service, process), formatter(log_format)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_antt", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._antt = True
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in ("gunicorn.error", "gunicorn.access"):
        for h in logging.getLogger(name).handlers:
            h.setFormatter(form)
            h.addFilter(stamp)
    handler.setFormatter(form)
    handler.addFilter(stamp)


def _trace_ids() -> tuple[str | None, str | None]:
    from opentelemetry import trace

    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None, None
    return format(ctx.trace_id, "032x"), format(ctx.span_id, "016x")
