"""Registration's own projections, kept in the same database as its event store."""

import sqlalchemy as sa

metadata = sa.MetaData()

units = sa.Table(
    "units",
    metadata,
    sa.Column("unit_id", sa.String(100), primary_key=True),
    sa.Column("jurisdiction", sa.String(100), nullable=False, index=True),
    sa.Column("commune_code", sa.String(100), nullable=False, index=True),
    sa.Column("unit_type", sa.String(40), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("entry", sa.JSON, nullable=False),
)

# Returns decided by review, received over the broker: registration needs them to accept
# the next revision of a dossier.
case_returns = sa.Table(
    "case_returns",
    metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("unit_id", sa.String(100), nullable=False, index=True),
    sa.Column("year", sa.Integer, nullable=False),
    # The payload's event version, so a read upcasts it from there (rows before it were v1).
    sa.Column("event_version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("payload", sa.JSON, nullable=False),
)

# Documents held in the content-addressed store (bytes live in the store, not here).
documents = sa.Table(
    "documents",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("content_type", sa.String(120), nullable=False),
    sa.Column("stored_at", sa.String(40), nullable=False),
)

# Who uploaded what: a unit user for its unit, any other user for itself (its `sub`).
document_uploads = sa.Table(
    "document_uploads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("unit_id", sa.String(100), index=True),
    sa.Column("sub", sa.String(200), nullable=False),
    sa.Column("filename", sa.String(250), nullable=False),
    sa.Column("uploaded_at", sa.String(40), nullable=False),
)

# Which cases cite a document: a download is allowed to whoever may see one of them.
document_citations = sa.Table(
    "document_citations",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("unit_id", sa.String(100), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
)
