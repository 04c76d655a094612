"""Operable in production (issue 25), on the whole system: one trace follows a dossier from
`POST /dossiers` through the relay and the broker to review's case, reporting's row and the
e-mail that goes out, each process writing its spans to a JSON-lines file (the SDK's exporter
interface, no collector); and the stack's logs are JSON lines that name their service, process,
trace and correlation id and never hold a token, the signing secret or a mail's body."""

from __future__ import annotations

import json
import os
import re
import urllib.request

import pytest
import sqlalchemy as sa

from shared.config import DEV_JWT_SECRET
from tests.e2e import flow
from tests.e2e.client import wait_until

pytestmark = pytest.mark.e2e
UNIT = "kdc-trace-1"
JWT = re.compile(r"eyJ[\w-]+\.eyJ[\w-]+\.")
ENV = {
    "ANTT_LOG_FORMAT": "json",
    "ANTT_OTEL_EXPORTER": "file",
    "ANTT_NOTIFY_SENDER_POLL_S": "0.2",
}


@pytest.fixture(scope="module", autouse=True)
def traced_processes():
    """Set before the module's `system` starts: the stack passes os.environ to its processes."""
    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def dossier(system):
    """One unit's dossier submitted; returns the trace id of the POST /dossiers request."""
    flow.setup_campaign_and_commune(system)
    flow.add_unit(system, UNIT)
    flow.register_late(system, UNIT)
    criteria = flow.criteria_of(system)
    flow.case_in_review(system, UNIT, "registered")
    flow.submit_dossier(system, UNIT, criteria)
    post = wait_until(
        lambda: [s for s in spans(system) if s["name"] == "POST /api/v1/dossiers"],
        "the span of POST /dossiers",
    )
    assert len(post) == 1 and post[0]["kind"] == "SERVER"
    return post[0]["trace_id"]


def spans(system) -> list[dict]:
    folder = system.stack.var_dir / "traces"
    found = []
    for path in sorted(folder.glob("*.jsonl")) if folder.exists() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(json.loads(line))
    return found


def spans_of(system, trace_id: str) -> list[dict]:
    return [s for s in spans(system) if s["trace_id"] == trace_id]


def log_lines(system) -> dict[str, list[str]]:
    folder = system.stack.var_dir / "log"
    return {
        p.name: p.read_text(encoding="utf-8", errors="replace").splitlines()
        for p in sorted(folder.glob("*.log"))
    }


def test_one_trace_runs_from_the_dossier_request_to_the_case_the_report_row_and_the_mail(
    system, dossier
):
    def reached() -> set[tuple[str, str]] | None:
        seen = {(s["service"], s["name"]) for s in spans_of(system, dossier)}
        wanted = {
            ("antt-review", "antt-review apply DossierSubmitted"),
            ("antt-reporting", "antt-reporting apply DossierSubmitted"),
            ("antt-notification", "antt-notification apply DossierSubmitted"),
            ("antt-notification", "notification send mail"),
        }
        return seen if wanted <= seen else None

    seen = wait_until(reached, "the dossier's trace to reach review, reporting and the mail")
    assert flow.case_in_review(system, UNIT, "dossier_submitted")
    assert flow.status_in_report(system, UNIT) == "dossier_submitted"
    # The append happened inside the request's trace (SQLAlchemy's spans), and the mail that
    # went out was recorded as NotificationSent, which reporting applied in the same trace.
    trace = spans_of(system, dossier)
    assert any(s["service"] == "antt-registration" and s["kind"] == "CLIENT" for s in trace)
    wait_until(
        lambda: (
            ("antt-reporting", "antt-reporting apply NotificationSent")
            in {(s["service"], s["name"]) for s in spans_of(system, dossier)}
        ),
        "reporting to apply the NotificationSent of the dossier's mail in the same trace",
    )
    assert len({s["trace_id"] for s in trace}) == 1 and seen


def test_reporting_metrics_show_the_years_funnel_of_cases_by_status(system, dossier):
    def funnel():
        with urllib.request.urlopen(system.stack.url("reporting") + "/metrics", timeout=5) as r:
            text = r.read().decode()
        wanted = f'antt_cases{{status="dossier_submitted",year="{flow.YEAR}"}}'
        return text if wanted in text else None

    assert wait_until(funnel, "the funnel gauge of the dossier's year")


def test_the_logs_are_json_lines_that_name_service_process_trace_and_correlation(system, dossier):
    def sender_line():
        for line in log_lines(system).get("notification-sender.log", []):
            if line.startswith("{") and json.loads(line).get("trace_id") == dossier:
                return json.loads(line)
        return None

    line = wait_until(sender_line, "a line of the sender in the dossier's trace")
    assert line["service"] == "notification" and line["process"] == "sender"
    assert line["unit_id"] == UNIT and line["year"] == flow.YEAR and line["level"] == "INFO"
    registration_api = [
        json.loads(s) for s in log_lines(system)["registration-api.log"] if s.startswith("{")
    ]
    assert registration_api and all(x["service"] == "registration" for x in registration_api)
    assert all(x["process"] == "api" for x in registration_api)


def test_no_token_secret_or_mail_body_is_ever_logged(system, dossier):
    wait_until(
        lambda: system.scalar(
            "notification", "SELECT count(*) FROM notification_records WHERE status = 'sent'"
        ),
        "a mail sent",
    )
    with system.engines["notification"].connect() as conn:
        bodies = conn.execute(sa.text("SELECT text_body FROM notification_records")).scalars()
        # Each body's longer lines: a greeting alone ("Kính gửi …") proves nothing.
        body_lines = {ln.strip() for b in bodies for ln in b.splitlines() if len(ln.strip()) > 40}
    secrets = {
        *system.tokens.values(),
        system.unit_token(UNIT),
        DEV_JWT_SECRET,
    }
    assert body_lines
    for name, lines in log_lines(system).items():
        text = "\n".join(lines)
        for secret in secrets:
            assert secret not in text, f"a token or the secret is in {name}"
        assert not JWT.search(text), f"something shaped like a token is in {name}"
        for body_line in body_lines:
            assert body_line not in text, f"a mail's body is in {name}: {body_line[:60]}"
