"""The admin's pages: the campaign calendar, the unit directory (search, add, edit, CSV import),
late exceptions (parked events: admin_parked)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from services.portal.adapters.api_client import ApiError
from services.portal.domain.vietnamese import fold, parse_vi_date, vi_sorted
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


def _refused(template, err: ApiError, **context):
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
            return _refused(
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


@bp.get("/don-vi")
@web.requires("admin")
def units():
    q = request.args.get("q", "").strip()
    query = {
        "commune_code": request.args.get("commune_code", "").strip(),
        "cursor": web.cursor_asked(),
    }
    found, cursor = web.apis().registration.get_page("/units", query)
    if q:
        found = [u for u in found if _matches(fold(q), u)]
    return render_template(
        "admin/units.html",
        units=vi_sorted(found, key=lambda u: u["name"]),
        q=q,
        commune_code=query["commune_code"],
        next_url=web.next_page_url(cursor),
    )


def _matches(needle: str, unit) -> bool:
    return needle in fold(f"{unit['name']} {unit['unit_id']} {unit['commune_code']}")


def _unit_body(form) -> tuple[dict, dict]:
    body = {k: form.get(k, "").strip() for k in UNIT_FIELDS}
    body["has_party_organization"] = form.get("has_party_organization") == "yes"
    if form.get("unit_id", "").strip():
        body["unit_id"] = form["unit_id"].strip()
    errors = {k: "Không được để trống." for k in UNIT_FIELDS if not body[k]}
    return body, errors


@bp.route("/don-vi/moi", methods=["GET", "POST"])
@web.requires("admin")
def add_unit():
    if request.method == "GET":
        return render_template("admin/unit_form.html", unit={}, errors={}, editing=False)
    body, errors = _unit_body(request.form)
    if errors:
        return web.form_page(
            "admin/unit_form.html",
            problem="Điền đủ các mục.",
            errors=errors,
            unit=body,
            editing=False,
        )
    try:
        created = web.apis().registration.post("/units", body)
    except ApiError as err:
        return _refused("admin/unit_form.html", err, unit=body, editing=False)
    return web.done("admin.units", f"Đã thêm đơn vị {created['unit_id']}.")


@bp.route("/don-vi/<unit_id>", methods=["GET", "POST"])
@web.requires("admin")
def edit_unit(unit_id):
    apis = web.apis()
    if request.method == "GET":
        unit = apis.registration.get(f"/units/{unit_id}")
        return render_template("admin/unit_form.html", unit=unit, errors={}, editing=True)
    body, errors = _unit_body(request.form)
    body.pop("unit_id", None)
    if errors:
        return web.form_page(
            "admin/unit_form.html",
            problem="Điền đủ các mục.",
            errors=errors,
            unit={**body, "unit_id": unit_id},
            editing=True,
        )
    try:
        apis.registration.patch(f"/units/{unit_id}", body)
    except ApiError as err:
        return _refused(
            "admin/unit_form.html", err, unit={**body, "unit_id": unit_id}, editing=True
        )
    return web.done("admin.units", f"Đã cập nhật đơn vị {unit_id}.")


@bp.route("/nhap-csv", methods=["GET", "POST"])
@web.requires("admin")
def import_units():
    if request.method == "GET":
        return render_template("admin/import.html", report=None, errors={})
    chosen = request.files.get("file")
    if not chosen or not chosen.filename:
        return web.form_page(
            "admin/import.html",
            problem="Chọn một tệp CSV.",
            errors={"file": "Chọn một tệp CSV."},
            report=None,
        )
    dry = "yes" if request.form.get("dry_run") == "yes" else None
    try:
        report = web.apis().registration.upload(
            "/units/import",
            chosen.filename,
            chosen.read(),
            "text/csv",
            query={"dry_run": "true" if dry else None},
        )
    except ApiError as err:
        if err.status != 422 or not isinstance(err.body, dict) or "report" not in err.body:
            return _refused("admin/import.html", err, report=None)
        return web.form_page(
            "admin/import.html", problem=err.message, errors={}, report=err.body["report"]
        )
    return render_template("admin/import.html", report=report, errors={}, dry=dry)


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
        return _refused("admin/late.html", err, year=year, form=request.form)
    return web.done("admin.late", f"Đã cho phép {body['unit_id']} nộp muộn.", nam=year)
