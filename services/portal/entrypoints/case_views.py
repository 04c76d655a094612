"""The reviewer's queue and the case page every official opens; the reviewer's commands."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, render_template, request

from services.portal.adapters.api_client import ApiError
from services.portal.domain import labels
from services.portal.domain.vietnamese import as_date, parse_vi_date, vi_sorted
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
    dossier = case["dossiers"][-1] if case.get("dossiers") else None
    own = {line["criterion_id"]: line for line in (dossier or {}).get("self_assessment", [])}
    context = dict(
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


@bp.post("/ho-so/<unit_id>/<int:year>/tra-lai")
@web.requires("reviewer")
def return_dossier(unit_id, year):
    reasons = [r.strip() for r in request.form.get("reasons", "").splitlines() if r.strip()]
    due = parse_vi_date(request.form.get("due_date", ""))
    errors = {}
    if not reasons:
        errors["reasons"] = "Ghi ít nhất một lý do (mỗi dòng một lý do)."
    if due is None:
        errors["due_date"] = "Nhập hạn nộp lại theo dạng ngày/tháng/năm, ví dụ 15/12/2026."
    if errors:
        return refuse(unit_id, year, "return", errors)
    body = {"reasons": [r[:500] for r in reasons], "due_date": due.isoformat()}
    return command(unit_id, year, "return", body, "Đã trả lại hồ sơ để đơn vị bổ sung.")


@bp.post("/ho-so/<unit_id>/<int:year>/kien-nghi")
@web.requires("reviewer")
def recommend(unit_id, year):
    ids = request.form.getlist("criterion_id")
    findings, errors = [], {}
    for cid in ids:
        met = request.form.get(f"met_{cid}")
        if met not in ("yes", "no"):
            errors[f"met_{cid}"] = f"Chọn đạt hoặc chưa đạt cho tiêu chí {cid}."
            continue
        findings.append(
            {
                "criterion_id": cid,
                "met": met == "yes",
                "note": request.form.get(f"note_{cid}", "").strip()[:2000],
            }
        )
    choice = request.form.get("recommendation")
    if choice not in labels.RECOMMENDATIONS:
        errors["recommendation"] = "Chọn kiến nghị: đạt hoặc chưa đạt."
    if errors:
        return refuse(unit_id, year, "recommendation", errors)
    body = {"recommendation": choice, "findings": findings}
    return command(unit_id, year, "recommendation", body, "Đã ghi kiến nghị.")


@bp.post("/ho-so/<unit_id>/<int:year>/vu-viec")
@web.requires("reviewer")
def incident(unit_id, year):
    on = parse_vi_date(request.form.get("occurred_on", ""))
    description = request.form.get("description", "").strip()
    errors = {}
    if on is None:
        errors["occurred_on"] = "Nhập ngày xảy ra theo dạng ngày/tháng/năm."
    if not description:
        errors["description"] = "Mô tả vụ việc."
    if errors:
        return refuse(unit_id, year, "incident", errors)
    body = {
        "unit_id": unit_id,
        "occurred_on": on.isoformat(),
        "criterion_id": request.form.get("criterion_id", ""),
        "description": description[:2000],
    }
    try:
        web.apis().review.post("/incidents", body)
    except ApiError as err:
        if err.status not in (409, 422, 403, 404):
            raise
        return case_page(
            unit_id,
            year,
            err.status,
            problem=err.message,
            errors={f"incident.{k}": v for k, v in err.field_errors().items()},
            form=request.form,
        )
    return web.done("reviewer.case", "Đã ghi nhận vụ việc.", unit_id=unit_id, year=year)


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
