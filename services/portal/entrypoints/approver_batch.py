"""The approver's batch decision: one number and date for the chosen cases of their remit
recommended "achieved", and the per-case result (a refusal says why, the others stand)."""

from __future__ import annotations

from flask import render_template, request

from services.portal.adapters.api_client import ApiError
from services.portal.domain.vietnamese import parse_vi_date
from services.portal.entrypoints import web
from services.portal.entrypoints.approver_views import bp
from services.portal.entrypoints.case_views import load_case, queue_rows

MAX_PAGES = 20  # the review API pages its list; an authority's year fits in far fewer


def achieved_in_remit(year: int) -> list[dict]:
    """Cases recommended "achieved" that this approver's People's Committee decides."""
    who, found, cursor = web.person(), [], None
    for _ in range(MAX_PAGES):
        rows, cursor = queue_rows({"year": year, "status": "recommended", "cursor": cursor})
        for row in rows:
            case = load_case(row["unit_id"], row["year"])
            mine = (case.get("authority") or {}).get("code") == who.jurisdiction
            recommendation = case.get("recommendation") or {}
            if mine and recommendation.get("recommendation") == "achieved":
                found.append(
                    {**row, "recommendation": recommendation, "version": case.get("version")}
                )
        if not cursor:
            break
    return found


def _page(year: int, status: int = 200, **extra):
    context = dict(rows=achieved_in_remit(year), year=year, errors={}, form={}, chosen=set())
    context.update(extra)
    return render_template("case/approver_batch.html", today=web.today(), **context), status


@bp.get("/quyet-dinh/hang-loat")
@web.requires("approver")
def batch():
    return _page(web.year_asked())


@bp.post("/quyet-dinh/hang-loat")
@web.requires("approver")
def decide_batch():
    year = web.year_asked()
    chosen = [u for u in request.form.getlist("unit_id") if u][:500]
    number = request.form.get("decision_number", "").strip()
    on = parse_vi_date(request.form.get("decided_on", ""))
    errors = {}
    if not chosen:
        errors["cases"] = "Chọn ít nhất một hồ sơ để công nhận."
    if not number:
        errors["decision_number"] = "Nhập số quyết định."
    if on is None:
        errors["decided_on"] = "Nhập ngày ký theo dạng ngày/tháng/năm, ví dụ 20/11/2026."
    if errors:
        return _page(year, 422, errors=errors, form=request.form, chosen=set(chosen),
                     problem="Kiểm tra lại các mục được đánh dấu.")  # fmt: skip
    cases = []
    for unit_id in chosen:
        version = request.form.get(f"version_{unit_id}", "")
        cases.append(
            {
                "unit_id": unit_id[:100],
                **({"expected_version": int(version)} if version.isdigit() else {}),
            }
        )
    body = {"year": year, "decision_number": number[:100], "decided_on": on.isoformat(),
            "note": request.form.get("note", "").strip()[:2000], "cases": cases}  # fmt: skip
    try:
        outcome = web.apis().review.post("/decisions/batch", body)
    except ApiError as err:
        if err.status not in (403, 409, 422):
            raise
        return _page(year, err.status, errors=err.field_errors(), form=request.form,
                     chosen=set(chosen), problem=err.message)  # fmt: skip
    names = {u: request.form.get(f"name_{u}", u) for u in chosen}
    return render_template(
        "case/approver_batch_result.html", outcome=outcome, names=names, year=year
    )
