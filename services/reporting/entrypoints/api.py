"""The reporting HTTP API (port 8004): the year's report, unit histories, the hash audit."""

from __future__ import annotations

from flask import Blueprint as FlaskBlueprint
from flask import Response, request
from flask_smorest import Blueprint

from services.reporting.adapters import certificate_pdf, report_document, verify_page
from services.reporting.adapters.csv_report import render_csv
from services.reporting.adapters.funnel import FunnelCollector
from services.reporting.adapters.xlsx_report import render_xlsx
from services.reporting.bootstrap import bootstrap
from services.reporting.entrypoints import schemas as s
from services.reporting.service_layer import certificates, history, queries, reports
from shared.errors import NotFound
from shared.http import pages
from shared.http.app import current_runtime, make_app
from shared.http.auth import current_principal, requires

blp = Blueprint("reporting", __name__, description="Báo cáo, lịch sử đơn vị, kiểm tra chuỗi băm")
OFFICIALS = ("reviewer", "approver", "auditor", "admin")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# `format=csv|xlsx` answers the same figures as a file (the doc entry replaces the content map,
# so JSON is named again).
FILE_FORMS = {
    "application/json": {"schema": s.ReportOut},
    "text/csv": {"schema": {"type": "string"}},
    XLSX: {"schema": {"type": "string", "format": "binary"}},
    DOCX: {"schema": {"type": "string", "format": "binary"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
}


CERTIFICATE_FORMS = {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "application/json": {"schema": s.CertificateOut},
}


def _export(report: dict, fmt: str):
    """JSON as the schema says; CSV and XLSX as files named after the year and moment."""
    if fmt == "json":
        return report
    stem = f"bao-cao-antt-{report['year']}-{report['as_of'][:10]}"
    if fmt == "csv":
        # The BOM lets spreadsheet programs read the Vietnamese text as UTF-8.
        body, mimetype = ("\ufeff" + render_csv(report)).encode(), "text/csv"
    elif fmt in ("docx", "pdf"):
        place = current_runtime().jurisdictions.names.get(report["jurisdiction"])
        body = report_document.render(report, place or report["jurisdiction"], fmt)
        mimetype = DOCX if fmt == "docx" else "application/pdf"
    else:
        body, mimetype = render_xlsx(report), XLSX
    disposition = f'attachment; filename="{stem}.{fmt}"'
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


@blp.route("/reports/<int:year>", methods=["GET"])
@requires(*OFFICIALS)
@blp.arguments(s.ReportQuery, location="query")
@blp.response(200, s.ReportOut)
@blp.doc(responses={"200": {"content": FILE_FORMS}})
def get_report(query, year):
    """The year's report for the caller's jurisdiction, now or as of a past moment.

    `format=csv|xlsx|docx|pdf` gives a file (docx/pdf: the formal report document with
    its chart and manifest); every form carries the manifest that reproduces it.
    """
    report = reports.report(
        current_runtime(), current_principal(), year, query.get("commune_code"), query.get("as_of")
    )
    return _export(report, query["format"])


@blp.route("/reports/reproduce", methods=["POST"])
@requires("auditor", "admin", "approver", "reviewer")
@blp.arguments(s.ReproduceIn)
@blp.response(200, s.ReportOut)
def reproduce(body):
    """The report a manifest describes, byte for byte, from the same part of the log."""
    report = reports.reproduce(current_runtime(), current_principal(), body["manifest"])
    return _export(report, body["format"])


@blp.route("/units/<unit_id>/history", methods=["GET"])
@requires("unit", *OFFICIALS)
@blp.arguments(s.HistoryQuery, location="query")
@blp.response(200, s.HistoryOut, headers=pages.LINK_DOC)
def get_history(query, unit_id):
    """Every event of the unit in the order it happened, with actor, time and cited documents,
    `limit` events a page (`documents`: those the page's events cite). A unit user reads the
    addresses of what was sent to it; officials' mailboxes are shown to officials only."""
    page = pages.requested(query)
    found = history.history(
        current_runtime(), current_principal(), unit_id, page, query.get("year")
    )
    return pages.answer(found)


@blp.route("/audit/verify", methods=["GET"])
@requires("auditor", "admin")
@blp.arguments(s.YearQuery, location="query")
@blp.response(200, s.VerifyOut)
def verify(query):
    """Recompute every hash, link and stream version of the stored log."""
    return queries.verify(current_runtime(), query.get("year"))


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/pdf", "text/html", "application/json"])
    return best == "application/json"


@blp.route("/certificates/<unit_id>/<int(min=2000, max=2100):year>", methods=["GET"])
@requires("unit", *OFFICIALS)
@blp.response(200, s.CertificateOut)
@blp.doc(responses={"200": {"content": CERTIFICATE_FORMS}})
def get_certificate(unit_id, year):
    """The unit-year's certificate (Giấy công nhận): a PDF with the QR code of its public
    verification page, or with `Accept: application/json` its code and verification address.
    The unit itself or an official of its jurisdiction; 404 when not recognised."""
    found = certificates.for_unit(current_runtime(), current_principal(), unit_id, year)
    if _wants_json():
        return verify_page.certificate_json(found)
    disposition = f'attachment; filename="giay-cong-nhan-{year}.pdf"'
    return Response(
        certificate_pdf.render(found),
        mimetype="application/pdf",
        headers={"Content-Disposition": disposition},
    )


# Public, without a token and outside /api/v1: the address a certificate's QR code carries.
public = FlaskBlueprint("verify", __name__)


@public.route("/verify/<code>", methods=["GET"])
def verify_certificate(code):
    """A certificate's facts and today's status (HTML, or JSON with Accept: application/json)."""
    as_json = _wants_json()
    try:
        found = certificates.verify(current_runtime(), code[:100])
    except NotFound:
        if as_json:
            raise
        return Response(verify_page.html(None), status=404, mimetype="text/html")
    if as_json:
        return verify_page.as_json(found)
    return Response(verify_page.html(found), mimetype="text/html")


def create_app(settings=None, clock=None):
    rt = bootstrap(settings, clock)
    app = make_app(rt.settings, rt.engine, "antt reporting", [blp], {"ANTT_RUNTIME": rt})
    app.register_blueprint(public)
    app.config["ANTT_METRICS"].register(FunnelCollector(rt.engine))
    return app
