"""A unit's pages: its year at a glance, registration, the dossier, notifications."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from services.portal.adapters.api_client import ApiError
from services.portal.domain.timeline import year_at_a_glance
from services.portal.entrypoints import uploads, web

bp = Blueprint("unit", __name__, url_prefix="/don-vi")


def optional(call, *args, **kwargs):
    """An API read that may not exist yet (404): None instead of an error page."""
    try:
        return call(*args, **kwargs)
    except ApiError as err:
        if err.status == 404:
            return None
        raise


def _situation(year: int) -> dict:
    who, apis = web.person(), web.apis()
    unit = apis.registration.get(f"/units/{who.unit_id}")
    campaign = optional(apis.registration.get, f"/campaigns/{year}")
    registration = optional(apis.registration.get, f"/registrations/{who.unit_id}/{year}")
    dossiers = optional(apis.registration.get, f"/dossiers/{who.unit_id}/{year}")
    case = optional(apis.review.get, f"/cases/{who.unit_id}/{year}")
    glance = year_at_a_glance(campaign, registration, dossiers, case, web.today())
    return dict(
        unit=unit,
        campaign=campaign,
        registration=registration,
        dossiers=dossiers,
        case=case,
        glance=glance,
        year=year,
    )


def caught_up(waiting_for: str, s: dict) -> bool:
    """Has review (the other service) seen the step this page just accepted?"""
    case = s["case"]
    if not waiting_for:
        return True
    if waiting_for == "dang-ky":
        return case is not None
    if waiting_for.isdigit():
        return (
            bool(case)
            and case.get("current_revision", 0) >= int(waiting_for)
            and (case.get("status") != "returned")
        )
    return True


@bp.get("")
@web.requires("unit")
def year():
    s = _situation(web.year_asked())
    waiting_for = request.args.get("cho", "")
    return render_template(
        "unit/year.html", **s, waiting_for=waiting_for, polling=not caught_up(waiting_for, s)
    )


@bp.get("/trang-thai")
@web.requires("unit")
def status():
    """The timeline alone, polled every 2 s after a command until review caught up (then 286)."""
    s = _situation(web.year_asked())
    ready = caught_up(request.args.get("cho", ""), s)
    html = render_template(
        "unit/_timeline.html", **s, waiting_for=request.args.get("cho", ""), polling=not ready
    )
    return html, 286 if ready else 200


def _requirements(apis, unit) -> tuple[dict, list, list]:
    req = apis.registration.get("/requirements")
    docs = [
        (kind, need)
        for kind, need in req["registration"]["documents"].items()
        if unit["unit_type"] in need["unit_types"]
        and (need.get("when") is None or unit.get(need["when"]))
    ]
    figures = [
        (key, need)
        for key, need in req["registration"]["figures"].items()
        if unit["unit_type"] in need["unit_types"]
    ]
    return req, docs, figures


@bp.route("/dang-ky", methods=["GET", "POST"])
@web.requires("unit")
def register():
    who, apis, year = web.person(), web.apis(), web.year_asked()
    unit = apis.registration.get(f"/units/{who.unit_id}")
    req, docs, figures = _requirements(apis, unit)
    context = dict(
        unit=unit,
        year=year,
        docs=docs,
        figures=figures,
        kept={},
        errors={},
        values={},
        accept=uploads.accept_attribute(req["file_types"]),
        req=req,
    )
    if request.method == "GET":
        return render_template("unit/register.html", **context)
    documents, kept, errors = uploads.collect(apis, [k for k, _ in docs] + ["other"], req)
    values = {key: request.form.get(f"figure_{key}", "").strip() for key, _ in figures}
    numbers = {}
    for key, text in values.items():
        if text.isdigit():
            numbers[key] = int(text)
        elif text:
            errors[f"figures.{key}"] = "Nhập một số nguyên không âm."
    context.update(kept=kept, values=values)
    if errors:
        return web.form_page(
            "unit/register.html",
            problem="Kiểm tra lại các mục được đánh dấu.",
            **{**context, "errors": errors},
        )
    body = {"unit_id": who.unit_id, "year": year, "documents": documents, "figures": numbers}
    try:
        apis.registration.post("/registrations", body)
    except ApiError as err:
        if err.status not in (409, 422, 404, 413):
            raise
        return web.form_page(
            "unit/register.html",
            status=err.status,
            problem=err.message,
            **{**context, "errors": err.field_errors()},
        )
    return web.done(
        "unit.year", f"Đã ghi nhận đăng ký phấn đấu năm {year}.", nam=year, cho="dang-ky"
    )
