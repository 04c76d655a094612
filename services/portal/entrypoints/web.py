"""What every portal page needs: the signed-in person, their API clients, roles, errors."""

from __future__ import annotations

import logging
from functools import wraps

from flask import current_app, flash, g, redirect, render_template, request, session, url_for

from services.portal.adapters.api_client import ApiError, Apis
from services.portal.adapters.sign_in import Person

log = logging.getLogger(__name__)
HOMES = {
    "unit": "unit.year",
    "reviewer": "reviewer.queue",
    "approver": "approver.queue",
    "auditor": "auditor.report",
    "admin": "admin.calendar",
}


def runtime():
    return current_app.config["PORTAL"]


def person() -> Person | None:
    if "person" not in g:
        g.person = Person.from_session(session.get("person"))
    return g.person


def apis() -> Apis:
    who = person()
    return runtime().apis(who.token if who else None)


def today():
    return runtime().clock.today_vn()


def year_asked() -> int:
    """The campaign year the page is about: `?nam=` when sensible, else this year."""
    raw = request.args.get("nam", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return today().year


def home_url(who: Person | None) -> str:
    return url_for(HOMES[who.role]) if who else url_for("auth.sign_in")


def requires(*roles):
    """Signed in with one of `roles`, or sent to the sign-in page (and back afterwards)."""

    def wrap(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            who = person()
            if who is None:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if who.role not in roles:
                return render_template(
                    "error.html",
                    status=403,
                    message="Tài khoản của bạn không dùng được trang này.",
                ), 403
            return view(*args, **kwargs)

        return guarded

    return wrap


def handle_api_error(err: ApiError):
    """One place that turns an API refusal nobody handled into a page a person can act on."""
    if err.status == 401:
        session.pop("person", None)
        flash("Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.")
        return redirect(url_for("auth.sign_in"))
    status = err.status if err.status in (403, 404, 409, 413, 422, 503) else 502
    if status >= 500:
        log.warning(
            "API answered %s on %s %s: %s", err.status, request.method, request.path, err.message
        )
    return render_template("error.html", status=status, message=err.message), status


def done(endpoint: str, message: str, **values):
    """After a command: the message shown at once, then the page (303 so reload is safe)."""
    flash(message, "success")
    target = url_for(endpoint, **values)
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target, 303)


def form_page(template: str, status: int = 422, **context):
    """Re-render a form with the API's message and per-field errors."""
    return render_template(template, **context), status


def next_page_url(cursor: str | None) -> str | None:
    """This page's address with the next page's cursor (the filters kept), or None."""
    if not cursor:
        return None
    return url_for(
        request.endpoint,
        **(request.view_args or {}),
        **{**request.args.to_dict(), "cursor": cursor},
    )


def cursor_asked() -> str:
    return request.args.get("cursor", "")[:1000]
