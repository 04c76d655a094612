"""The portal's app factory (port 8000): server-rendered pages over the four APIs."""

from __future__ import annotations

from flask import Flask, jsonify, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect

from services.portal.adapters.api_client import ApiError
from services.portal.bootstrap import bootstrap
from services.portal.domain import labels
from services.portal.domain.vietnamese import vi_date, vi_number, vi_percent
from services.portal.entrypoints import (
    admin_directory,  # noqa: F401  (its routes join admin_views.bp)
    admin_parked,  # noqa: F401  (its routes join admin_views.bp)
    admin_views,
    approver_batch,  # noqa: F401  (its routes join approver_views.bp)
    approver_views,
    auditor_views,
    auth_views,
    case_views,
    documents,
    reviewer_commands,  # noqa: F401  (its routes join case_views.bp)
    unit_dossier,  # noqa: F401  (its routes join unit_views.bp)
    unit_views,
    web,
)

# Everything from this host: no outside script, style, font or frame.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def create_app(settings=None, clock=None, sign_in=None) -> Flask:
    rt = bootstrap(settings, clock, sign_in)
    app = Flask(__name__)
    app.config.update(
        PORTAL=rt,
        SECRET_KEY=rt.settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=rt.settings.secure_cookies,
        SESSION_COOKIE_NAME="antt_portal",
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        MAX_CONTENT_LENGTH=4 * rt.settings.max_upload_bytes,
        WTF_CSRF_TIME_LIMIT=12 * 3600,
    )
    CSRFProtect(app)
    for module in (
        auth_views,
        unit_views,
        case_views,
        approver_views,
        auditor_views,
        admin_views,
        documents,
    ):
        app.register_blueprint(module.bp)
    _templates(app)
    _errors(app)
    app.after_request(_headers)
    app.add_url_rule("/healthz", "healthz", lambda: jsonify(status="ok"))
    return app


def _templates(app: Flask) -> None:
    app.jinja_env.filters.update(vi_date=vi_date, vi_number=vi_number, vi_percent=vi_percent)
    app.jinja_env.globals.update(
        labels=labels,
        label=labels.label,
        person=web.person,
        unit_forms=documents.FORMS,
    )
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True


def _errors(app: Flask) -> None:
    app.register_error_handler(ApiError, web.handle_api_error)

    @app.errorhandler(CSRFError)
    def csrf_refused(err):
        message = "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ (CSRF). Tải lại trang rồi gửi lại."
        return render_template("error.html", status=400, message=message), 400

    @app.errorhandler(404)
    def not_found(err):
        message = "Không có trang này. Kiểm tra lại địa chỉ hoặc quay về trang chính."
        return render_template("error.html", status=404, message=message), 404

    @app.errorhandler(500)
    def broken(err):
        message = "Lỗi hệ thống; sự cố đã được ghi lại. Vui lòng thử lại sau ít phút."
        return render_template("error.html", status=500, message=message), 500

    @app.errorhandler(413)
    def too_large(err):
        message = "Tệp gửi lên quá lớn. Mỗi tệp tối đa 20 MB."
        return render_template("error.html", status=413, message=message), 413


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Vary", "HX-Request, Cookie")
    return response
