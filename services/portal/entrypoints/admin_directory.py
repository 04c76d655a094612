"""The admin's unit directory: search, add, edit, CSV import with its row report."""

from __future__ import annotations

from flask import render_template, request

from services.portal.adapters.api_client import ApiError
from services.portal.domain.vietnamese import fold, vi_sorted
from services.portal.entrypoints import web
from services.portal.entrypoints.admin_views import UNIT_FIELDS, bp, refused


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
        return refused("admin/unit_form.html", err, unit=body, editing=False)
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
        return refused("admin/unit_form.html", err, unit={**body, "unit_id": unit_id}, editing=True)
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
            return refused("admin/import.html", err, report=None)
        return web.form_page(
            "admin/import.html", problem=err.message, errors={}, report=err.body["report"]
        )
    return render_template("admin/import.html", report=report, errors={}, dry=dry)
