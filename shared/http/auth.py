"""Who is calling: the Principal of the request's bearer token, and role checks."""

from __future__ import annotations

import functools

from flask import current_app, g, request

from shared.auth import Forbidden, Principal, TokenCheck, Unauthenticated, decode_token

ROLE_LABELS = {
    "unit": "đơn vị",
    "reviewer": "cán bộ thẩm định",
    "approver": "người phê duyệt",
    "auditor": "kiểm tra viên",
    "admin": "quản trị",
}


def current_principal() -> Principal:
    if "principal" not in g:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise Unauthenticated("Cần đăng nhập: thiếu tiêu đề Authorization: Bearer <token>.")
        g.principal = decode_token(header[7:].strip(), _token_check())
    return g.principal


def _token_check() -> TokenCheck:
    """One TokenCheck per app and settings: it holds the provider's cached keys."""
    settings = current_app.config["ANTT_SETTINGS"]
    built = current_app.extensions.get("antt.token_check")
    if built is None or built[0] is not settings:
        built = current_app.extensions["antt.token_check"] = (settings, TokenCheck.of(settings))
    return built[1]


def requires(*roles: str):
    """Refuse (401/403) callers without a valid token of one of these roles."""

    def wrap(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            who = current_principal()
            if who.role not in roles:
                allowed = ", ".join(ROLE_LABELS[r] for r in roles)
                raise Forbidden(f"Chỉ {allowed} được thực hiện thao tác này.")
            return view(*args, **kwargs)

        return checked

    return wrap
