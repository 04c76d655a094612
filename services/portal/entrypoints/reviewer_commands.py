"""The reviewer's commands on a case: return for supplementation, recommend, record an incident."""

from __future__ import annotations

from flask import request

from services.portal.adapters.api_client import ApiError
from services.portal.domain import labels
from services.portal.domain.vietnamese import parse_vi_date
from services.portal.entrypoints import web
from services.portal.entrypoints.case_views import bp, case_page, command, refuse


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
