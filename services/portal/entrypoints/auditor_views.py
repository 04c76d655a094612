"""The auditor's pages: the year's report with charts and downloads, a unit's history, audit."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from services.portal.adapters.api_client import ApiError, next_cursor
from services.portal.domain import labels
from services.portal.domain.chart import recognised_chart
from services.portal.domain.vietnamese import parse_vi_date, vi_sorted
from services.portal.entrypoints import web

bp = Blueprint("auditor", __name__)
OFFICIALS = ("reviewer", "approver", "auditor", "admin")
FORMATS = ("csv", "xlsx", "docx", "pdf")  # the tables, and the formal report document


def _query(year: int) -> dict:
    query = {"commune_code": request.args.get("commune_code", "").strip()}
    as_of = parse_vi_date(request.args.get("as_of", ""))
    if as_of:
        query["as_of"] = f"{as_of.isoformat()}T23:59:59+07:00"
    return query


@bp.get("/bao-cao")
@web.requires(*OFFICIALS)
def report():
    year = web.year_asked()
    report = web.apis().reporting.get(f"/reports/{year}", _query(year))
    charts = [
        recognised_chart(
            "Được công nhận theo loại đơn vị", report.get("by_unit_type", {}), labels.UNIT_TYPES
        ),
        recognised_chart("Được công nhận theo xã, phường", report.get("by_commune", {})),
    ]
    units = vi_sorted(report.get("units", []), key=lambda u: u.get("name", ""))
    return render_template(
        "auditor/report.html",
        report=report,
        charts=charts,
        units=units,
        year=year,
        as_of=request.args.get("as_of", ""),
        commune_code=request.args.get("commune_code", ""),
    )


@bp.get("/bao-cao/tai-ve")
@web.requires(*OFFICIALS)
def download():
    year = web.year_asked()
    fmt = request.args.get("format", "xlsx")
    if fmt not in FORMATS:
        fmt = "xlsx"
    file = web.apis().reporting.download(f"/reports/{year}", {**_query(year), "format": fmt})
    name = file.filename if file.filename != "tai-lieu" else f"bao-cao-antt-{year}.{fmt}"
    return Response(
        file.body,
        200,
        {
            "Content-Type": file.content_type,
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


@bp.get("/lich-su/<unit_id>")
@web.requires(*OFFICIALS)
def history(unit_id):
    year = request.args.get("nam", "")
    query = {"year": year if year.isdigit() else None, "cursor": web.cursor_asked()}
    api = web.apis().reporting
    found = api.get(f"/units/{unit_id}/history", query)
    return render_template(
        "auditor/history.html",
        history=found,
        unit_id=unit_id,
        year=year,
        next_url=web.next_page_url(next_cursor(api.last_headers)),
    )


@bp.get("/kiem-tra")
@web.requires("auditor", "admin")
def verify():
    year = request.args.get("nam", "")
    result = web.apis().reporting.get("/audit/verify", {"year": year} if year.isdigit() else {})
    return render_template("auditor/verify.html", result=result, year=year)


@bp.get("/giay-cong-nhan/<unit_id>/<int:year>")
@web.requires("unit", *OFFICIALS)
def certificate(unit_id, year):
    """The unit-year's certificate PDF (reporting issues it once it has seen the decision)."""
    try:
        file = web.apis().reporting.download(
            f"/certificates/{unit_id}/{year}", accept="application/pdf"
        )
    except ApiError as err:
        if err.status != 404:
            raise
        message = (
            "Chưa có giấy công nhận: đơn vị chưa được công nhận năm này, hoặc hệ thống báo cáo "
            "chưa cập nhật quyết định vừa ký. Vui lòng thử lại sau ít phút."
        )
        return render_template("error.html", status=404, message=message), 404
    return Response(
        file.body,
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="giay-cong-nhan-{unit_id}-{year}.pdf"',
        },
    )
