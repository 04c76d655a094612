"""Upload and download of documents: checked by content, stored once, read by those allowed."""

from __future__ import annotations

import logging

from services.registration.adapters import documents_repo as docs
from services.registration.adapters import repository as repo
from services.registration.adapters.document_store import CorruptDocument, TooLargeUpload
from services.registration.adapters.rules import document_rules
from services.registration.adapters.sniff import content_type_of
from services.registration.domain.documents import check_kind, clean_filename
from services.registration.domain.errors import DocumentCorrupt, NotFound, TooLarge
from shared.auth import Forbidden, Principal, ensure_may_see
from shared.clock import iso_utc

log = logging.getLogger(__name__)


def upload(rt, who: Principal, stream, raw_filename: str | None) -> dict:
    """Stage while hashing, check size and kind, then move into the store and record it."""
    limit = rt.settings.max_upload_bytes
    try:
        staged = rt.deps.documents.stage(stream, limit)
    except TooLargeUpload:
        raise TooLarge(
            f"Tệp lớn hơn giới hạn {limit // (1024 * 1024)} MB; không có gì được lưu.",
            {"file": [f"Tối đa {limit} byte."]},
        ) from None
    try:
        content_type = check_kind(content_type_of(staged.path), document_rules()["allowed"])
        filename = clean_filename(raw_filename)
        with rt.engine.begin() as conn:
            unit_id = who.unit_id if who.role == "unit" else None
            now = iso_utc(rt.clock.now())
            docs.record_upload(conn, staged, content_type, unit_id, who.sub, filename, now)
            rt.deps.documents.keep(staged)
    finally:
        rt.deps.documents.discard(staged)
    return {
        "sha256": staged.sha256,
        "size": staged.size,
        "content_type": content_type,
        "filename": filename,
    }


def download(rt, who: Principal, sha256: str) -> tuple[bytes, str, str]:
    """The bytes (hash checked again), for whoever may see a case citing the document."""
    with rt.engine.connect() as conn:
        row = docs.document_row(conn, sha256)
        if row is None or sha256 not in rt.deps.documents:
            raise NotFound("Không có tài liệu này.")
        units = [u for u in docs.citing_units(conn, sha256) if _may_see(rt, conn, who, u)]
        if not units:
            raise Forbidden("Chỉ người được xem hồ sơ có trích dẫn tài liệu này mới tải được.")
        # The same bytes may come from two units: each is told only its own name for them.
        filename = docs.filename_for(conn, sha256, units, who.sub)
    try:
        return rt.deps.documents.read(sha256), row.content_type, filename
    except CorruptDocument:
        log.error("document %s no longer matches its SHA-256; not served", sha256)
        raise DocumentCorrupt(
            "Tệp lưu trữ không còn khớp mã SHA-256 của nó nên không được trả về; "
            "hãy báo quản trị hệ thống."
        ) from None


def _may_see(rt, conn, who: Principal, unit_id: str) -> bool:
    entry = repo.load_unit(rt.store, conn, unit_id)
    try:
        ensure_may_see(who, unit_id, entry.jurisdiction, rt.jurisdictions, entry.commune_code)
    except Forbidden:
        return False
    return True
