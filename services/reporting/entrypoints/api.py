"""The reporting HTTP API (port 8004): the year's report, unit histories, the hash audit."""

from __future__ import annotations

from flask import Response, current_app
from flask_smorest import Blueprint

from services.reporting.adapters.csv_report import render_csv
from services.reporting.bootstrap import bootstrap
from services.reporting.entrypoints import schemas as s
from services.reporting.service_layer import queries
from shared.http.app import make_app
from shared.http.auth import current_principal, requires

blp = Blueprint("reporting", __name__, description="Báo cáo, lịch sử đơn vị, kiểm tra chuỗi băm")
OFFICIALS = ("reviewer", "approver", "auditor", "admin")


def _rt():
    return current_app.config["ANTT_RUNTIME"]


@blp.route("/reports/<int:year>", methods=["GET"])
@blp.arguments(s.ReportQuery, location="query")
@blp.response(200, s.ReportOut)
@requires(*OFFICIALS)
def get_report(query, year):
    """The year's report for the caller's jurisdiction, now or as of a past moment."""
    report = queries.report(
        _rt(), current_principal(), year, query.get("commune_code"), query.get("as_of")
    )
    if query["format"] == "csv":
        return _csv_response(report)
    return report


def _csv_response(report: dict) -> Response:
    # The BOM lets spreadsheet programs read the Vietnamese text as UTF-8.
    body = "\ufeff" + render_csv(report)
    filename = f"bao-cao-antt-{report['year']}.csv"
    return Response(
        body.encode(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blp.route("/units/<unit_id>/history", methods=["GET"])
@blp.arguments(s.YearQuery, location="query")
@blp.response(200, s.HistoryOut)
@requires("unit", *OFFICIALS)
def get_history(query, unit_id):
    """Every event of the unit in the order it happened, with actor and time."""
    return queries.history(_rt(), current_principal(), unit_id, query.get("year"))


@blp.route("/audit/verify", methods=["GET"])
@blp.arguments(s.YearQuery, location="query")
@blp.response(200, s.VerifyOut)
@requires("auditor", "admin")
def verify(query):
    """Recompute every hash and link of the consumed log."""
    return queries.verify(_rt(), query.get("year"))


def create_app(settings=None, clock=None):
    rt = bootstrap(settings, clock)
    return make_app(rt.settings, rt.engine, "antt reporting", [blp], {"ANTT_RUNTIME": rt})
