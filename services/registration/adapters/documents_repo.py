"""Rows about documents: what is stored, who uploaded it, which cases cite it."""

from __future__ import annotations

import sqlalchemy as sa

from services.registration.adapters.tables import document_citations, document_uploads, documents


def record_upload(conn, staged, content_type: str, unit_id, sub: str, filename: str, now: str):
    known = sa.select(documents.c.sha256).where(documents.c.sha256 == staged.sha256)
    if conn.execute(known).first() is None:
        try:
            # Two uploads of the same bytes at once: the second finds the row, and that is fine.
            with conn.begin_nested():
                conn.execute(
                    documents.insert().values(
                        sha256=staged.sha256,
                        size=staged.size,
                        content_type=content_type,
                        stored_at=now,
                    )
                )
        except sa.exc.IntegrityError:
            pass
    conn.execute(
        document_uploads.insert().values(
            sha256=staged.sha256, unit_id=unit_id, sub=sub, filename=filename, uploaded_at=now
        )
    )


def uploads_usable_by(conn, hashes: list[str], unit_id: str, sub: str) -> dict[str, dict]:
    """Hash → {filename, size} of the documents the unit or this user uploaded."""
    rows = conn.execute(
        sa.select(document_uploads.c.sha256, document_uploads.c.filename, documents.c.size)
        .join(documents, documents.c.sha256 == document_uploads.c.sha256)
        .where(
            document_uploads.c.sha256.in_(hashes),
            sa.or_(document_uploads.c.unit_id == unit_id, document_uploads.c.sub == sub),
        )
        .order_by(document_uploads.c.id)
    )
    return {r.sha256: {"filename": r.filename, "size": r.size} for r in rows}


def cite(conn, hashes, unit_id: str, year: int) -> None:
    """Record that the case cites these documents, each once: one read and one insert."""
    wanted = set(hashes)
    if not wanted:
        return
    c = document_citations.c
    known = conn.execute(
        sa.select(c.sha256).where(c.sha256.in_(wanted), c.unit_id == unit_id, c.year == year)
    ).scalars()
    missing = sorted(wanted - set(known))
    if missing:
        rows = [{"sha256": sha, "unit_id": unit_id, "year": year} for sha in missing]
        conn.execute(document_citations.insert(), rows)


def citing_units(conn, sha256: str) -> list[str]:
    rows = conn.execute(
        sa.select(document_citations.c.unit_id).where(document_citations.c.sha256 == sha256)
    )
    return sorted({r.unit_id for r in rows})


def document_row(conn, sha256: str):
    return conn.execute(sa.select(documents).where(documents.c.sha256 == sha256)).first()


def filename_for(conn, sha256: str) -> str:
    row = conn.execute(
        sa.select(document_uploads.c.filename)
        .where(document_uploads.c.sha256 == sha256)
        .order_by(document_uploads.c.id)
        .limit(1)
    ).first()
    return row.filename if row else sha256
