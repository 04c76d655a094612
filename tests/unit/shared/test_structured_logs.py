"""Structured logs: one JSON object a line with the process's names and the current context;
whatever looks like a token is blanked, whoever logged it."""

from __future__ import annotations

import json
import logging

from shared.auth import mint_token
from shared.config import DEV_JWT_SECRET
from shared.observability import logs


def line_of(record_args, log_format="json", **context) -> str:
    handler_filter = logs.ContextFilter("review", "consumer")
    record = logging.LogRecord("antt.test", logging.INFO, __file__, 1, *record_args, None)
    with logs.about(**context):
        handler_filter.filter(record)
    return logs.formatter(log_format).format(record)


def test_a_json_line_names_service_process_level_and_the_context_it_was_logged_in():
    line = json.loads(
        line_of(("case %s moved", ("x",)), correlation_id="c-1", unit_id="kdc-1", year=2026)
    )
    assert line["service"] == "review" and line["process"] == "consumer"
    assert line["level"] == "INFO" and line["message"] == "case x moved"
    assert (line["correlation_id"], line["unit_id"], line["year"]) == ("c-1", "kdc-1", 2026)
    assert "trace_id" not in line  # no span: the field is left out, not null


def test_a_token_in_a_message_is_redacted_in_json_and_in_text():
    token = mint_token(DEV_JWT_SECRET, "admin", "admin-1")
    for form in ("json", "text"):
        text = line_of(("header was Authorization: Bearer %s", (token,)), form)
        assert token not in text and "[redacted]" in text
        assert token.split(".")[1] not in text


def test_the_readable_form_is_the_default():
    assert isinstance(logs.formatter(None), logs.TextFormatter)
    assert isinstance(logs.formatter("json"), logs.JsonFormatter)


def test_what_a_request_learns_stays_with_it_and_nothing_sticks_outside_one():
    logs.remember(correlation_id="stray")
    assert logs.LOG_CONTEXT.get() is None
    with logs.about(unit_id="kdc-1"):
        logs.remember(correlation_id="c-2")
        assert logs.LOG_CONTEXT.get() == {"unit_id": "kdc-1", "correlation_id": "c-2"}
    assert logs.LOG_CONTEXT.get() is None
