"""The notification HTTP API (port 8003): what was sent to a unit, and how it went."""

from __future__ import annotations

from flask_smorest import Blueprint

from services.notification.bootstrap import bootstrap
from services.notification.entrypoints import schemas as s
from services.notification.service_layer import handlers
from shared.http import pages
from shared.http.app import current_runtime, make_app
from shared.http.auth import current_principal, requires

blp = Blueprint("notification", __name__, description="Thông báo gửi tới đơn vị")


@blp.route("/notifications", methods=["GET"])
@requires("unit", "reviewer", "approver", "auditor", "admin")
@blp.arguments(s.NotificationQuery, location="query")
@blp.response(200, s.NotificationOut(many=True), headers=pages.LINK_DOC)
def list_notifications(query):
    """Notifications about a unit, each with every delivery attempt (a unit user: its own, sent to
    it; officials: within their jurisdiction, `audience` choosing the unit's, officials' or all);
    oldest first, a page at a time."""
    page = pages.requested(query)
    found = handlers.list_notifications(current_runtime(), current_principal(), page, **query)
    return pages.answer(found)


def create_app(settings=None, clock=None, mail=None):
    rt = bootstrap(settings, clock, mail)
    return make_app(rt.settings, rt.engine, "antt notification", [blp], {"ANTT_RUNTIME": rt})
