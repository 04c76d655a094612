"""Review's own tables, kept in the same database as its event store."""

import sqlalchemy as sa

metadata = sa.MetaData()

# The unit directory as registration publishes it: who a case belongs to and where.
units = sa.Table(
    "units",
    metadata,
    sa.Column("unit_id", sa.String(100), primary_key=True),
    sa.Column("jurisdiction", sa.String(100), nullable=False, index=True),
    sa.Column("commune_code", sa.String(100), nullable=False, index=True),
    sa.Column("unit_type", sa.String(40), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("managing_level", sa.String(20), nullable=False),
    sa.Column("has_party_organization", sa.Boolean, nullable=False),
)

# Every event of a unit-year case, registration's and review's own, in arrival order: the
# case state is a fold of these rows, so the two producers' events interleave correctly.
case_timeline = sa.Table(
    "case_timeline",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit_id", sa.String(100), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("event_id", sa.String(36), nullable=False, unique=True),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("event_version", sa.Integer, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("actor", sa.JSON, nullable=False),
    sa.Column("occurred_at", sa.String(40), nullable=False),
    sa.Index("ix_case_timeline_case", "unit_id", "year"),
)

# The yearly calendar as registration publishes it (CampaignScheduled): the evaluation periods.
campaigns = sa.Table(
    "campaigns",
    metadata,
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("dates", sa.JSON, nullable=False),
)

# Decision numbers in use: unique per deciding authority and year, annulled ones included.
decision_numbers = sa.Table(
    "decision_numbers",
    metadata,
    sa.Column("authority", sa.String(100), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("decision_number", sa.String(100), nullable=False),
    sa.Column("unit_id", sa.String(100), nullable=False),
    sa.PrimaryKeyConstraint("authority", "year", "decision_number"),
)
