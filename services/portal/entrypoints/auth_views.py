"""Sign-in and sign-out pages, through whichever `SignIn` the runtime carries."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for

from services.portal.adapters.sign_in import SignInRefused
from services.portal.entrypoints import web

bp = Blueprint("auth", __name__)


@bp.get("/")
def index():
    return redirect(web.home_url(web.person()))


@bp.get("/cases/<unit_id>/<int:year>")
@web.requires("unit", "reviewer", "approver", "auditor", "admin")
def case_link(unit_id, year):
    """The address e-mails link to (`ANTT_PUBLIC_URL/cases/<unit>/<year>`): the unit's own year,
    or the case page for an official."""
    if web.person().role == "unit":
        return redirect(url_for("unit.year", nam=year))
    return redirect(url_for("reviewer.case", unit_id=unit_id, year=year))


@bp.route("/dang-nhap", methods=["GET", "POST"])
def sign_in():
    sign = web.runtime().sign_in
    problem = None
    if request.method == "POST":
        try:
            who = sign.finish(request.form)
        except SignInRefused as refused:
            problem = str(refused)
        else:
            session.clear()
            session.permanent = True
            session["person"] = who.to_session()
            return redirect(_safe_next(request.form.get("next")) or web.home_url(who), 303)
    return render_template(
        "sign_in.html",
        accounts=sign.accounts(),
        problem=problem,
        kind=sign.kind,
        next=request.values.get("next", ""),
    ), (422 if problem else 200)


@bp.post("/dang-xuat")
def sign_out():
    session.clear()
    return redirect(url_for("auth.sign_in"), 303)


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (no //host or scheme)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
