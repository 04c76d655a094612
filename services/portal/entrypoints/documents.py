"""The official documents, fetched with the person's own token: a unit's forms, the approver's
draft decision, the auditor's report document (the APIs decide who may have which)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, request

from services.portal.adapters.api_client import File
from services.portal.entrypoints import web

bp = Blueprint("documents", __name__)
# The registration API's forms, in the order a unit needs them, with their links' words
# (none the words of another link on the same page).
FORMS = {
    "dang-ky": "Mẫu bản đăng ký",
    "to-trinh": "Mẫu tờ trình đề nghị",
    "bao-cao": "Mẫu báo cáo kết quả thực hiện tiêu chí",
    "bien-ban": "Mẫu biên bản họp đánh giá",
}
DOCUMENT_FORMATS = ("docx", "pdf")


def attachment(file: File, fallback: str) -> Response:
    """The API's file handed on as a download, under the API's name (or `fallback`)."""
    name = file.filename if file.filename != "tai-lieu" else fallback
    return Response(
        file.body,
        200,
        {
            "Content-Type": file.content_type or "application/octet-stream",
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        },
    )


def format_asked() -> str:
    fmt = request.args.get("format", "docx")
    return fmt if fmt in DOCUMENT_FORMATS else "docx"


@bp.get("/don-vi/bieu-mau/<any(" + ", ".join(f'"{f}"' for f in FORMS) + "):form>")
@web.requires("unit")
def unit_form(form):
    """One of the unit's forms, filled in for the year, with its QR code to the filing page."""
    who, year = web.person(), web.year_asked()
    file = web.apis().registration.download(
        f"/forms/{form}", {"unit_id": who.unit_id, "year": year}
    )
    return attachment(file, f"{form}-{year}.docx")


@bp.get("/quyet-dinh/du-thao")
@web.requires("approver")
def draft_decision():
    """The draft decision of the approver's authority for the year (DOCX or PDF)."""
    year, fmt = web.year_asked(), format_asked()
    file = web.apis().review.download("/decisions/draft", {"year": year, "format": fmt})
    return attachment(file, f"du-thao-quyet-dinh-cong-nhan-{year}.{fmt}")
