"""A unit's dossier (filed, or filed again after a return) and its notifications."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from services.portal.adapters.api_client import ApiError
from services.portal.entrypoints import uploads, web
from services.portal.entrypoints.unit_views import bp, optional


def _last_lines(dossiers) -> dict:
    revisions = (dossiers or {}).get("revisions") or []
    if not revisions:
        return {}
    return {line["criterion_id"]: line for line in revisions[-1].get("self_assessment", [])}


def _from_form_qr():
    """A printed form's QR code names `?bieu-mau=&unit_id=&year=` (registration's words): the
    page where that form is filed, in the portal's own words, or None for an ordinary visit."""
    form, year = request.args.get("bieu-mau"), request.args.get("year", "")
    if request.method != "GET" or (form is None and not year):
        return None
    unit_id = request.args.get("unit_id")
    if unit_id and unit_id != web.person().unit_id:
        flash("Biểu mẫu vừa quét là của đơn vị khác; đây là trang của đơn vị bạn.")
    nam = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else web.year_asked()
    page = "unit.register" if form == "dang-ky" else "unit.dossier"
    return redirect(url_for(page, nam=nam), 303)


@bp.route("/ho-so", methods=["GET", "POST"])
@web.requires("unit")
def dossier():
    qr = _from_form_qr()
    if qr is not None:
        return qr
    who, apis, year = web.person(), web.apis(), web.year_asked()
    unit = apis.registration.get(f"/units/{who.unit_id}")
    req = apis.registration.get("/requirements")
    catalogue = apis.review.get("/criteria", {"unit_type": unit["unit_type"], "year": year})
    dossiers = optional(apis.registration.get, f"/dossiers/{who.unit_id}/{year}")
    case = optional(apis.review.get, f"/cases/{who.unit_id}/{year}")
    kinds = list(req["dossier"]["documents"].items())
    previous = _last_lines(dossiers)
    context = dict(
        unit=unit,
        year=year,
        kinds=kinds,
        criteria=catalogue["criteria"],
        case=case,
        version=(dossiers or {}).get("version", ""),
        kept={},
        errors={},
        lines={
            cid: {"met": line["met"], "note": line.get("note", "")}
            for cid, line in previous.items()
        },
        accept=uploads.accept_attribute(req["file_types"]),
        req=req,
    )
    if request.method == "GET":
        return render_template("unit/dossier.html", **context)
    documents, kept, errors = uploads.collect(apis, [k for k, _ in kinds] + ["other"], req)
    lines = {}
    for c in catalogue["criteria"]:
        cid = c["criterion_id"]
        met = request.form.get(f"met_{cid}")
        lines[cid] = {
            "met": met == "yes" if met else None,
            "note": request.form.get(f"note_{cid}", "").strip(),
        }
        if met not in ("yes", "no"):
            errors[f"met_{cid}"] = f"Chọn đạt hoặc chưa đạt cho tiêu chí {cid}."
    context.update(kept=kept, lines=lines)
    if errors:
        return web.form_page(
            "unit/dossier.html",
            problem="Kiểm tra lại các mục được đánh dấu.",
            **{**context, "errors": errors},
        )
    body = {
        "unit_id": who.unit_id,
        "year": year,
        "documents": documents,
        "self_assessment": [
            {"criterion_id": cid, "met": line["met"], "note": line["note"][:2000]}
            for cid, line in lines.items()
        ],
    }
    version = request.form.get("expected_version", "")
    if version.isdigit():
        body["expected_version"] = int(version)
    try:
        created = apis.registration.post("/dossiers", body)
    except ApiError as err:
        if err.status not in (409, 422, 404, 413):
            raise
        problem = err.message
        if err.status == 409:
            problem = (
                "Hồ sơ đã thay đổi từ khi bạn mở trang này (có người khác vừa nộp hoặc "
                "hồ sơ vừa được trả lại). Tải lại trang, kiểm tra rồi nộp lại. "
            ) + problem
        return web.form_page(
            "unit/dossier.html",
            status=err.status,
            problem=problem,
            **{**context, "errors": err.field_errors()},
        )
    revision = created.get("revision", 1)
    return web.done(
        "unit.year", f"Đã nhận hồ sơ đề nghị lần {revision}.", nam=year, cho=str(revision)
    )


@bp.get("/thong-bao")
@web.requires("unit")
def notifications():
    who, year = web.person(), web.year_asked()
    query = {"unit_id": who.unit_id, "year": year, "cursor": web.cursor_asked()}
    items, cursor = web.apis().notification.get_page("/notifications", query)
    return render_template(
        "unit/notifications.html", items=items, year=year, next_url=web.next_page_url(cursor)
    )
