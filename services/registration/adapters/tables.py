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
    sa.Column("payload", sa.JSON, nullable=False),
)
