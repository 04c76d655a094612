"""The approver's pages: cases awaiting a decision, decide (four-eyes), annul."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from services.portal.domain import labels
from services.portal.domain.vietnamese import parse_vi_date
from services.portal.entrypoints import web
from services.portal.entrypoints.case_views import command, load_case, queue_rows, refuse

bp = Blueprint("approver", __name__)


@bp.get("/quyet-dinh")
@web.requires("approver")
def queue():
    """Recommended cases this approver's People's Committee decides, with who recommended what
    (one case read per row of the page: the queue's summary has neither)."""
    year, who = web.year_asked(), web.person()
    rows, cursor = queue_rows({"year": year, "status": "recommended", "cursor": web.cursor_asked()})
    mine, others = [], 0
    for row in rows:
        case = load_case(row["unit_id"], row["year"])
        if (case.get("authority") or {}).get("code") == who.jurisdiction:
            mine.append({**row, "recommendation": case.get("recommendation") or {}})
        else:
            others += 1
    decided, _ = queue_rows({"year": year, "status": "decided"})
    return render_template(
        "case/approver_queue.html",
        rows=mine,
        others=others,
        decided=decided,
        year=year,
        next_url=web.next_page_url(cursor),
    )


@bp.post("/ho-so/<unit_id>/<int:year>/quyet-dinh")
@web.requires("approver")
def decide(unit_id, year):
    on = parse_vi_date(request.form.get("decided_on", ""))
    number = request.form.get("decision_number", "").strip()
    choice = request.form.get("decision")
    errors = {}
    if choice not in labels.DECISIONS:
        errors["decision"] = "Chọn công nhận hoặc không công nhận."
    if not number:
        errors["decision_number"] = "Nhập số quyết định."
    if on is None:
        errors["decided_on"] = "Nhập ngày ký theo dạng ngày/tháng/năm, ví dụ 20/11/2026."
    if errors:
        return refuse(unit_id, year, "decision", errors)
    body = {
        "decision": choice,
        "decision_number": number[:100],
        "decided_on": on.isoformat(),
        "note": request.form.get("note", "").strip()[:2000],
    }
    return command(unit_id, year, "decision", body, f"Đã ghi quyết định số {number}.")


@bp.post("/ho-so/<unit_id>/<int:year>/huy")
@web.requires("approver")
def annul(unit_id, year):
    reason = request.form.get("reason", "").strip()
    if not reason:
        return refuse(unit_id, year, "annulment", {"reason": "Ghi lý do hủy quyết định."})
    return command(
        unit_id, year, "annulment", {"reason": reason[:2000]}, "Đã hủy quyết định công nhận."
    )
