"""Rows about documents: what is stored, who uploaded it, which cases cite it."""

from __future__ import annotations

import sqlalchemy as sa

from services.registration.adapters.tables import document_citations, document_uploads, documents
from shared.persistence.upsert import insert_missing


def record_upload(conn, staged, content_type: str, unit_id, sub: str, filename: str, now: str):
    # Two uploads of the same bytes at once: the second finds the row, and that is fine.
    stored = {"sha256": staged.sha256, "size": staged.size, "content_type": content_type}
    insert_missing(conn, documents, stored | {"stored_at": now})
    conn.execute(
        document_uploads.insert().values(
            sha256=staged.sha256, unit_id=unit_id, sub=sub, filename=filename, uploaded_at=now
        )
    )


# Built once, not on every call: building the expression costs CPU each time.
_USABLE = (
    sa.select(document_uploads.c.sha256, document_uploads.c.filename, documents.c.size)
    .join(documents, documents.c.sha256 == document_uploads.c.sha256)
    .where(
        document_uploads.c.sha256.in_(sa.bindparam("hashes", expanding=True)),
        sa.or_(
            document_uploads.c.unit_id == sa.bindparam("unit_id"),
            document_uploads.c.sub == sa.bindparam("sub"),
        ),
    )
    .order_by(document_uploads.c.id)
)


def uploads_usable_by(conn, hashes: list[str], unit_id: str, sub: str) -> dict[str, dict]:
    """Hash → {filename, size} of the documents the unit or this user uploaded."""
    rows = conn.execute(_USABLE, {"hashes": list(hashes), "unit_id": unit_id, "sub": sub})
    return {r.sha256: {"filename": r.filename, "size": r.size} for r in rows}


def cite(conn, hashes, unit_id: str, year: int) -> None:
    """Record that the case cites these documents, each once, in one statement."""
    # A citation already recorded is skipped (a concurrent writer of the case waits, then
    # skips it too).
    rows = [{"sha256": sha, "unit_id": unit_id, "year": year} for sha in sorted(set(hashes))]
    insert_missing(conn, document_citations, rows)


def citing_units(conn, sha256: str) -> list[str]:
    rows = conn.execute(
        sa.select(document_citations.c.unit_id).where(document_citations.c.sha256 == sha256)
    )
    return sorted({r.unit_id for r in rows})


def document_row(conn, sha256: str):
    return conn.execute(sa.select(documents).where(documents.c.sha256 == sha256)).first()


def filename_for(conn, sha256: str, units: list[str], sub: str) -> str:
    """The name the file was uploaded under by one of `units` or by the user `sub` (the first
    such upload); else the hash: a name another unit gave the same bytes is not told."""
    uploads = document_uploads.c
    row = conn.execute(
        sa.select(uploads.filename)
        .where(uploads.sha256 == sha256, sa.or_(uploads.unit_id.in_(units), uploads.sub == sub))
        .order_by(uploads.id)
        .limit(1)
    ).first()
    return row.filename if row else sha256
