"""Rules on uploaded documents that need no I/O: clean file names, allowed kinds, who may cite."""

from __future__ import annotations

import re
import unicodedata

from services.registration.domain.errors import DocumentRefused

_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]+")
MAX_NAME = 200


def clean_filename(raw: str | None) -> str:
    """The last path segment, NFC-normalised, without control or path characters."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot else name[:MAX_NAME]
    return name or "tai-lieu"


def check_kind(content_type: str | None, allowed: dict) -> str:
    """The content type found in the bytes must be one of the allowed ones."""
    if content_type not in allowed:
        kinds = ", ".join(allowed.values())
        raise DocumentRefused(
            f"Tệp không đúng định dạng cho phép ({kinds}); định dạng được xác định theo nội "
            "dung tệp, không theo tên tệp.",
            {"file": [f"Nội dung tệp không phải {kinds}."]},
        )
    return content_type


def refuse_unknown(cited: list[str], known: set[str]) -> None:
    """Every cited hash must be a document this caller (or its unit) uploaded."""
    if unknown := [h for h in cited if h not in known]:
        raise DocumentRefused(
            "Một số tài liệu chưa được tải lên (POST /api/v1/documents) bởi đơn vị hoặc bởi bạn.",
            {"documents": [f"Không có tài liệu {h[:12]}…" for h in unknown]},
        )
