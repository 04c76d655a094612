"""The reviewer's queue and the case page every official opens; the reviewer's commands."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, render_template, request

from services.portal.adapters.api_client import ApiError
from services.portal.domain import labels
from services.portal.domain.vietnamese import as_date, vi_sorted
from services.portal.entrypoints import web

bp = Blueprint("reviewer", __name__)
OFFICIALS = ("reviewer", "approver", "auditor", "admin")
CONFLICT = (
    "Hồ sơ vừa được người khác thay đổi trong lúc bạn xem (phiên bản đã khác). "
    "Trang dưới đây là tình trạng mới nhất: kiểm tra lại rồi thực hiện lại thao tác."
)


def queue_rows(filters: dict) -> tuple[list, str | None]:
    query = {k: v for k, v in filters.items() if v}
    cases, cursor = web.apis().review.get_page("/cases", query)
    return vi_sorted(cases, key=lambda c: (c.get("unit") or {}).get("name", "")), cursor


def overdue(rows: list) -> list:
    """Returned cases whose due date for the re-filed dossier has passed (one read per case)."""
    late = []
    for row in rows:
        case = load_case(row["unit_id"], row["year"])
        due = (case.get("returns") or [{}])[-1].get("due_date")
        if case["status"] == "returned" and due and as_date(due) < web.today():
            late.append({**row, "due_date": due})
    return late


@bp.get("/tham-dinh")
@web.requires("reviewer", "admin")
def queue():
    year = web.year_asked()
    filters = {
        "year": year,
        "status": request.args.get("status", "dossier_submitted"),
        "commune_code": request.args.get("commune_code", "").strip(),
        "unit_type": request.args.get("unit_type", ""),
        "cursor": web.cursor_asked(),
    }
    if filters["status"] == "all":
        filters["status"] = ""
    if filters["status"] not in ("", *labels.CASE_STATUSES):
        filters["status"] = "dossier_submitted"
    if filters["unit_type"] not in ("", *labels.UNIT_TYPES):
        filters["unit_type"] = ""
    late_only = request.args.get("qua_han") == "1"
    if late_only:
        filters["status"] = "returned"
    rows, cursor = queue_rows(filters)
    if late_only:
        rows = overdue(rows)
    return render_template(
        "case/queue.html",
        rows=rows,
        filters=filters,
        year=year,
        next_url=web.next_page_url(cursor),
        late_only=late_only,
        status_choice=request.args.get("status", "dossier_submitted"),
    )


def load_case(unit_id: str, year: int) -> dict:
    return web.apis().review.get(f"/cases/{unit_id}/{year}")


def case_page(unit_id: str, year: int, status: int = 200, **extra):
    case = load_case(unit_id, year)
    catalogue = web.apis().review.get(
        "/criteria", {"unit_type": case["unit"]["unit_type"], "year": year}
    )
    titles = {c["criterion_id"]: c["title"] for c in catalogue["criteria"]}
    # Only these criteria take incidents (review refuses the others).
    incident_ids = [c["criterion_id"] for c in catalogue["criteria"] if c.get("accepts_incidents")]
    dossier = case["dossiers"][-1] if case.get("dossiers") else None
    own = {line["criterion_id"]: line for line in (dossier or {}).get("self_assessment", [])}
    context = dict(
        incident_ids=incident_ids,
        case=case,
        year=year,
        titles=titles,
        own=own,
        dossier=dossier,
        errors={},
        form={},
        today=web.today(),
    )
    context.update(extra)
    return render_template("case/case.html", **context), status


@bp.get("/ho-so/<unit_id>/<int:year>")
@web.requires(*OFFICIALS)
def case(unit_id, year):
    return case_page(unit_id, year)


def command(unit_id: str, year: int, path: str, body: dict, message: str):
    """Send a case command; a refusal re-renders the case page with the reason at the field."""
    version = request.form.get("expected_version", "")
    if version.isdigit():
        body["expected_version"] = int(version)
    try:
        web.apis().review.post(f"/cases/{unit_id}/{year}/{path}", body)
    except ApiError as err:
        if err.status not in (409, 422, 403, 404):
            raise
        problem = CONFLICT + " (" + err.message + ")" if err.status == 409 else err.message
        return case_page(
            unit_id,
            year,
            err.status,
            problem=problem,
            errors={f"{path}.{k}": v for k, v in err.field_errors().items()} | {path: err.message},
            form=request.form,
        )
    return web.done("reviewer.case", message, unit_id=unit_id, year=year)


def refuse(unit_id, year, path, errors):
    problem = "Kiểm tra lại các mục được đánh dấu."
    return case_page(
        unit_id,
        year,
        422,
        problem=problem,
        errors={f"{path}.{k}": v for k, v in errors.items()},
        form=request.form,
    )


@bp.get("/tai-lieu/<sha256>")
@web.requires("unit", *OFFICIALS)
def document(sha256):
    """A cited document, fetched with the person's own token (the API checks who may see it)."""
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        return render_template("error.html", status=404, message="Không có tài liệu này."), 404
    file = web.apis().registration.download(f"/documents/{sha256}")
    disposition = "inline" if file.content_type == "application/pdf" else "attachment"
    return Response(
        file.body,
        200,
        {
            "Content-Type": file.content_type or "application/octet-stream",
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(file.filename)}",
        },
    )
