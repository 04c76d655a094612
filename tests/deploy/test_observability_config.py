"""deploy/observability: Prometheus rules and config checked by promtool (Debian's `prometheus`
package), the alert rules' own unit tests, the Grafana dashboard against a schema of the
fields it uses, and every metric they name is one antt exports."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import jsonschema
import pytest
import yaml

from shared.config import Settings
from tests.deploy.compose_file import (
    DEPLOY,
    ENV_EXAMPLE,
    ROOT,
    env_file,
    resolved_environment,
    services,
)

OBS = DEPLOY / "observability"
DASHBOARD = OBS / "grafana" / "antt.json"
METRIC = re.compile(r"\b(antt_[a-z_]+)")
# In CI promtool is installed by .ci/run; elsewhere its absence skips with a reason.
needs_promtool = pytest.mark.skipif(
    shutil.which("promtool") is None and not os.environ.get("CI"),
    reason="promtool is not on PATH (apt-get install prometheus)",
)


def promtool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["promtool", *args], cwd=OBS, capture_output=True, text=True, timeout=120)


@needs_promtool
def test_promtool_accepts_the_alert_rules_and_the_prometheus_config():
    rules = promtool("check", "rules", "alerts.yml")
    assert rules.returncode == 0, rules.stdout + rules.stderr
    config = promtool("check", "config", "prometheus.yml")
    assert config.returncode == 0, config.stdout + config.stderr


@needs_promtool
def test_each_alert_fires_on_the_series_that_should_raise_it():
    result = promtool("test", "rules", "alerts_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_alerts_are_parked_events_growing_lag_or_backlog_restarts_and_mail_failures():
    rules = yaml.safe_load((OBS / "alerts.yml").read_text(encoding="utf-8"))["groups"][0]["rules"]
    by_name = {r["alert"]: r for r in rules}
    assert {
        "AnttParkedEvents",
        "AnttConsumerLagGrowing",
        "AnttOutboxBacklogGrowing",
        "AnttWorkerRestarting",
        "AnttMailFailures",
    } <= set(by_name)
    assert by_name["AnttConsumerLagGrowing"]["for"] == "10m"
    assert by_name["AnttOutboxBacklogGrowing"]["for"] == "10m"
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for name in by_name:
        assert f"`{name}`" in readme, f"deploy/README.md has no runbook line for {name}"


def test_the_dashboard_matches_the_schema_of_the_grafana_fields_it_uses():
    schema = json.loads((OBS / "grafana" / "dashboard.schema.json").read_text(encoding="utf-8"))
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in jsonschema.Draft202012Validator(schema).iter_errors(dashboard)
    ]
    assert errors == []
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"


def test_the_dashboard_shows_what_an_operator_must_see_at_a_glance():
    exprs = " ".join(
        t["expr"] for p in json.loads(DASHBOARD.read_text())["panels"] for t in p["targets"]
    )
    for metric in (
        "antt_http_requests_total",
        "antt_outbox_backlog",
        "antt_consumer_lag",
        "antt_parked_events",
        "antt_process_restarts_total",
        "antt_mails_total",
        "antt_cases",
    ):
        assert metric in exprs, f"the dashboard does not show {metric}"


def test_every_metric_the_dashboard_and_alerts_name_is_one_antt_exports():
    source = "\n".join(
        p.read_text(encoding="utf-8")
        for folder in ("shared", "services")
        for p in (ROOT / folder).rglob("*.py")
    )
    named = set(METRIC.findall(DASHBOARD.read_text())) | set(
        METRIC.findall((OBS / "alerts.yml").read_text())
    )
    for metric in sorted(named):
        base = metric.removesuffix("_total")
        assert f'"{base}"' in source, f"{metric} is not exported by any antt process"


def test_compose_mounts_the_observability_files_that_exist_and_pins_its_images():
    svcs = services()
    for name in ("otel-collector", "jaeger", "prometheus", "grafana"):
        assert re.search(r":v?\d+\.\d+\.\d+$", svcs[name]["image"]), f"pin {name}'s image"
        for volume in svcs[name].get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), f"{name} mounts a missing {source}"


def test_every_antt_process_logs_json_sends_otlp_to_the_collector_and_serves_its_metrics():
    example = env_file(ENV_EXAMPLE)
    antt = [n for n, svc in services().items() if str(svc["image"]).startswith("${ANTT_IMAGE")]
    assert len(antt) >= 12
    for name in antt:
        env = resolved_environment(name, example)
        assert env["ANTT_LOG_FORMAT"] == "json", name
        assert env["ANTT_OTEL_EXPORTER"] == "otlp", name
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318", name
        assert env["ANTT_WORKER_METRICS_PORT"] == "9100", name
        service = name.split("-")[0]
        assert Settings.from_env(service, env).service == service
