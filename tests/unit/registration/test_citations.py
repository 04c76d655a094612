"""Citations: a case cites each document once, however often and in whatever order it is cited."""

from __future__ import annotations

import sqlalchemy as sa

from services.registration.adapters import documents_repo as docs
from services.registration.adapters.tables import document_citations, metadata


def test_a_document_cited_again_by_the_same_case_is_recorded_once(sqlite_url):
    engine = sa.create_engine(sqlite_url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        docs.cite(conn, ["a" * 64, "b" * 64, "a" * 64], "kdc-1", 2026)
        docs.cite(conn, ["b" * 64, "c" * 64], "kdc-1", 2026)
        docs.cite(conn, ["a" * 64], "kdc-2", 2026)
        docs.cite(conn, [], "kdc-3", 2026)
        rows = conn.execute(sa.select(document_citations)).all()
    assert sorted((r.sha256[0], r.unit_id, r.year) for r in rows) == [
        ("a", "kdc-1", 2026),
        ("a", "kdc-2", 2026),
        ("b", "kdc-1", 2026),
        ("c", "kdc-1", 2026),
    ]
    with engine.connect() as conn:
        assert docs.citing_units(conn, "a" * 64) == ["kdc-1", "kdc-2"]
