"""The contract's error shape for every failure, with messages a person can act on."""

from __future__ import annotations

import logging

from flask import current_app
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from shared.auth import Forbidden, ProviderUnavailable, Unauthenticated
from shared.errors import DomainError
from shared.persistence.engine import TRANSIENT_ERRORS
from shared.persistence.event_store import ConcurrencyConflict

log = logging.getLogger(__name__)

DEFAULT_MESSAGES = {
    400: "Yêu cầu không đọc được (JSON sai cú pháp hoặc tham số sai).",
    401: "Cần đăng nhập: gửi token hợp lệ trong tiêu đề Authorization: Bearer ….",
    403: "Bạn không có quyền thực hiện thao tác này với hồ sơ/đơn vị này.",
    404: "Không tìm thấy đối tượng được yêu cầu.",
    405: "Phương thức HTTP này không được hỗ trợ ở địa chỉ này.",
    409: "Xung đột: dữ liệu đã thay đổi hoặc bước này không đúng thứ tự. Tải lại rồi thử lại.",
    413: "Tệp hoặc yêu cầu quá lớn.",
    415: "Kiểu nội dung không được hỗ trợ.",
    422: "Dữ liệu chưa hợp lệ: xem chi tiết trong 'errors'.",
    500: "Lỗi hệ thống; sự cố đã được ghi lại. Vui lòng thử lại sau.",
    503: "Dịch vụ tạm thời không sẵn sàng (cơ sở dữ liệu hoặc broker). Vui lòng thử lại sau.",
}
STATUS_NAMES = {
    401: "Unauthorized",
    403: "Forbidden",
    409: "Conflict",
    422: "Unprocessable Entity",
    503: "Service Unavailable",
    404: "Not Found",
    413: "Payload Too Large",
}


def error_body(code: int, message: str | None = None, errors: dict | None = None) -> dict:
    return {
        "code": code,
        "status": STATUS_NAMES.get(code, "Error"),
        "message": message or DEFAULT_MESSAGES.get(code, "Lỗi."),
        "errors": errors or {},
    }


class AnttApi(Api):
    """flask-smorest's Api with the contract's error body on every HTTP error."""

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or data.get("messages") or {}
        if error.code == 422 and "json" in errors and len(errors) == 1:
            errors = errors["json"]
        body = error_body(error.code or 500, data.get("message"), errors)
        body["status"] = error.name
        if error.code == 500:
            log.exception("unhandled error", exc_info=getattr(error, "original_exception", None))
        return body, error.code, data.get("headers", {})


def register_error_handlers(app) -> None:
    """Translate rule errors, auth errors and conflicts once, here."""

    def handle(code, message, errors=None):
        return error_body(code, message, errors), code

    app.register_error_handler(DomainError, lambda e: handle(e.status, e.message, e.errors))
    app.register_error_handler(Unauthenticated, lambda e: handle(401, str(e)))
    app.register_error_handler(ProviderUnavailable, lambda e: _no_provider(e, handle))
    app.register_error_handler(Forbidden, lambda e: _forbidden(e, handle))
    app.register_error_handler(
        ConcurrencyConflict,
        lambda e: handle(
            409,
            "Dữ liệu đã được người khác thay đổi; tải lại rồi thử lại.",
            {"expected_version": [str(e)]},
        ),
    )
    for err in TRANSIENT_ERRORS:
        app.register_error_handler(err, lambda e: _unavailable(e, handle))


def _forbidden(err, handle):
    current_app.logger.warning("refused: %s", err)
    return handle(403, str(err) or DEFAULT_MESSAGES[403])


def _no_provider(err, handle):
    current_app.logger.error("identity provider unavailable: %s", err)
    return handle(
        503,
        "Chưa kiểm tra được token: máy chủ định danh (đăng nhập một lần) không phản hồi. "
        "Vui lòng thử lại sau ít phút.",
    )


def _unavailable(err, handle):
    current_app.logger.error("database unavailable: %s", err)
    return handle(503, None)
