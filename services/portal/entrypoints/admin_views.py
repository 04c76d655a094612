"""The admin's pages: the campaign calendar and late exceptions (the unit directory:
admin_directory; parked events: admin_parked)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from services.portal.adapters.api_client import ApiError
from services.portal.domain.vietnamese import parse_vi_date
from services.portal.entrypoints import web
from services.portal.entrypoints.unit_views import optional

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")
CAMPAIGN_DATES = (
    ("registration_deadline", "Hạn đăng ký phấn đấu"),
    ("period_start", "Bắt đầu thời gian đánh giá"),
    ("period_end", "Kết thúc thời gian đánh giá"),
    ("ra_period_start", "Bắt đầu thời gian đánh giá khu dân cư"),
    ("ra_period_end", "Kết thúc thời gian đánh giá khu dân cư"),
    ("dossier_deadline", "Hạn nộp hồ sơ đề nghị"),
)
UNIT_FIELDS = ("name", "unit_type", "commune_code", "managing_level", "contact_email")


def refused(template, err: ApiError, **context):
    if err.status not in (409, 422, 404, 413):
        raise err
    return web.form_page(
        template, status=err.status, problem=err.message, errors=err.field_errors(), **context
    )


@bp.route("/lich", methods=["GET", "POST"])
@web.requires("admin")
def calendar():
    year, apis = web.year_asked(), web.apis()
    if request.method == "POST":
        dates, errors = {}, {}
        for key, title in CAMPAIGN_DATES:
            text = request.form.get(key, "").strip()
            if text:
                day = parse_vi_date(text)
                if day is None:
                    errors[key] = f"{title}: nhập ngày/tháng/năm."
                else:
                    dates[key] = day.isoformat()
        if errors:
            return web.form_page(
                "admin/calendar.html",
                problem="Kiểm tra lại các ngày.",
                errors=errors,
                campaign=None,
                year=year,
                fields=CAMPAIGN_DATES,
                form=request.form,
            )
        try:
            apis.registration.post(f"/campaigns/{year}", dates)
        except ApiError as err:
            return refused(
                "admin/calendar.html",
                err,
                campaign=None,
                year=year,
                fields=CAMPAIGN_DATES,
                form=request.form,
            )
        return web.done("admin.calendar", f"Đã lưu lịch đợt năm {year}.", nam=year)
    campaign = optional(apis.registration.get, f"/campaigns/{year}")
    return render_template(
        "admin/calendar.html",
        campaign=campaign,
        year=year,
        fields=CAMPAIGN_DATES,
        errors={},
        form={},
    )


@bp.route("/ngoai-le", methods=["GET", "POST"])
@web.requires("admin")
def late():
    year = web.year_asked()
    if request.method == "GET":
        return render_template("admin/late.html", year=year, errors={}, form={})
    until = request.form.get("until", "").strip()
    body = {
        "unit_id": request.form.get("unit_id", "").strip(),
        "year": year,
        "step": request.form.get("step", "registration"),
        "reason": request.form.get("reason", "").strip(),
    }
    errors = {}
    if until:
        day = parse_vi_date(until)
        if day is None:
            errors["until"] = "Nhập ngày/tháng/năm."
        else:
            body["until"] = day.isoformat()
    if errors:
        return web.form_page(
            "admin/late.html", problem="Kiểm tra lại.", errors=errors, year=year, form=request.form
        )
    try:
        web.apis().registration.post("/late-exceptions", body)
    except ApiError as err:
        return refused("admin/late.html", err, year=year, form=request.form)
    return web.done("admin.late", f"Đã cho phép {body['unit_id']} nộp muộn.", nam=year)
