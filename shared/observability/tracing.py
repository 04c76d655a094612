"""Traces (OpenTelemetry): off unless ANTT_OTEL_EXPORTER says otlp or file.

otlp: spans go to a collector (OTEL_EXPORTER_OTLP_ENDPOINT, the SDK's own setting); file: one
JSON line per span in ANTT_OTEL_FILE_DIR (default <var>/traces), a file per process, for tests
and drills. The W3C context of the request that appended an event travels with it: stored in its
outbox row, sent as the record's `traceparent` header, restored around each consumer's handler
and kept with each notification until the mail goes out."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.propagate import extract, inject

TRACER_NAME = "antt"
EXPORTERS = ("none", "otlp", "file")
# A traceparent is 55 characters; a header longer than this is not one and is ignored.
MAX_TRACEPARENT = 128
_state = {"on": False}


def exporter_setting(env=None) -> str:
    chosen = ((env or os.environ).get("ANTT_OTEL_EXPORTER") or "none").strip().lower()
    if chosen not in EXPORTERS:
        raise ValueError(f"ANTT_OTEL_EXPORTER must be one of {', '.join(EXPORTERS)}: {chosen!r}")
    return chosen


def setup_tracing(service: str, process: str, env=None) -> bool:
    """Install this process's tracer provider (once); True when traces are recorded."""
    env = env or os.environ
    chosen = exporter_setting(env)
    if chosen == "none" or _state["on"]:
        return _state["on"]
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    resource = Resource.create(
        {"service.name": f"antt-{service}", "service.namespace": "antt", "antt.process": process}
    )
    provider = TracerProvider(resource=resource)
    if chosen == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        folder = Path(
            env.get("ANTT_OTEL_FILE_DIR") or Path(env.get("ANTT_VAR_DIR", "var")) / "traces"
        )
        provider.add_span_processor(SimpleSpanProcessor(JsonLinesExporter(folder, process)))
    trace.set_tracer_provider(provider)
    from opentelemetry.instrumentation.logging import LoggingInstrumentor

    LoggingInstrumentor().instrument(set_logging_format=False)
    _state["on"] = True
    return True


def enabled() -> bool:
    return _state["on"]


def tracer():
    return trace.get_tracer(TRACER_NAME)


def instrument_app(app) -> None:
    if enabled():
        from opentelemetry.instrumentation.flask import FlaskInstrumentor

        FlaskInstrumentor().instrument_app(app, excluded_urls="healthz,readyz,metrics")


def instrument_engine(engine) -> None:
    """A span per statement of this engine. The instrumentor's engine tracer is used as it is:
    its instrument() declares sqlalchemy < 2.1 and patches the asyncio extension, which needs
    greenlet; the engine's event hooks it relies on are unchanged in 2.1."""
    if enabled():
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
        from opentelemetry.metrics import get_meter

        usage = get_meter(TRACER_NAME).create_up_down_counter("db.client.connections.usage")
        EngineTracer(tracer(), engine, usage)


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span, to store beside what it caused."""
    if not enabled():
        return None
    carrier: dict[str, str] = {}
    inject(carrier)
    return carrier.get("traceparent")


def traceparent_headers(traceparent: str | None) -> dict[str, str]:
    return {"traceparent": traceparent} if traceparent else {}


@contextlib.contextmanager
def span_from(traceparent: str | None, name: str, kind=trace.SpanKind.CONSUMER, **attributes):
    """A span that continues the trace `traceparent` names (a new trace when there is none)."""
    if not enabled():
        yield None
        return
    parent = None
    if traceparent and len(traceparent) <= MAX_TRACEPARENT:
        parent = extract({"traceparent": traceparent})
    token = otel_context.attach(parent) if parent is not None else None
    try:
        attrs = {k: v for k, v in attributes.items() if v is not None}
        with tracer().start_as_current_span(name, kind=kind, attributes=attrs) as span:
            yield span
    finally:
        if token is not None:
            otel_context.detach(token)


class JsonLinesExporter:
    """A span exporter that appends one JSON object per finished span to a file of its own."""

    def __init__(self, folder: Path, process: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{process}-{os.getpid()}.jsonl"
        self._lock = threading.Lock()

    def export(self, spans):
        from opentelemetry.sdk.trace.export import SpanExportResult

        lines = "".join(_span_line(s) + "\n" for s in spans)
        with self._lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(lines)
        return SpanExportResult.SUCCESS

    def shutdown(self):
        return None

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


def _span_line(span) -> str:
    ctx, parent = span.context, span.parent
    return json.dumps(
        {
            "trace_id": format(ctx.trace_id, "032x"),
            "span_id": format(ctx.span_id, "016x"),
            "parent_span_id": format(parent.span_id, "016x") if parent else None,
            "name": span.name,
            "kind": span.kind.name,
            "service": span.resource.attributes.get("service.name"),
            "process": span.resource.attributes.get("antt.process"),
            "start": span.start_time,
            "end": span.end_time,
            "attributes": {k: _plain(v) for k, v in (span.attributes or {}).items()},
            "status": span.status.status_code.name,
        },
        ensure_ascii=False,
    )


def _plain(value):
    return list(value) if isinstance(value, tuple) else value
