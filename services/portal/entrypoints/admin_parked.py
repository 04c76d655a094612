"""The admin's page of parked events, service by service: list, replay, discard."""

from __future__ import annotations

from flask import render_template, request

from services.portal.adapters.api_client import ApiError
from services.portal.entrypoints import web
from services.portal.entrypoints.admin_views import bp
from services.portal.settings import APIS


@bp.get("/su-kien-giu-lai")
@web.requires("admin")
def parked():
    apis, found, problems = web.apis(), {}, {}
    for service in APIS:
        try:
            found[service] = getattr(apis, service).get("/parked")
        except ApiError as err:
            if err.status == 401:
                raise
            problems[service] = err.message
    return render_template("admin/parked.html", found=found, problems=problems)


@bp.post("/su-kien-giu-lai/<service>")
@web.requires("admin")
def settle(service):
    if service not in APIS:
        return render_template("error.html", status=404, message="Không có dịch vụ này."), 404
    ids = [int(i) for i in request.form.getlist("id") if i.isdigit()][:200]
    api = getattr(web.apis(), service)
    if request.form.get("action") == "discard":
        reason = request.form.get("reason", "").strip()[:500] or "Quản trị viên bỏ qua"
        outcomes = api.post("/parked/discard", {"ids": ids, "reason": reason})
    else:
        outcomes = api.post("/parked/replay", {"ids": ids})
    summary = ", ".join(f"#{o['id']}: {o['outcome']}" for o in outcomes) or "không có gì"
    return web.done("admin.parked", f"{service}: {summary}.")
