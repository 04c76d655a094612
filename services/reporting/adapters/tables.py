"""Reporting's own tables: the copy of every consumed event, and the unit directory."""

import sqlalchemy as sa

metadata = sa.MetaData()

# Every event of every topic as it arrived, with the exact canonical bytes, so that reports
# can be folded again "as of" any moment and auditors can recompute every hash.
event_log = sa.Table(
    "event_log",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False, unique=True),
    sa.Column("topic", sa.String(200), nullable=False),
    sa.Column("stream_id", sa.String(200), nullable=False, index=True),
    sa.Column("stream_version", sa.Integer, nullable=False),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("event_version", sa.Integer, nullable=False),
    sa.Column("unit_id", sa.String(100), index=True),
    sa.Column("year", sa.Integer, index=True),
    sa.Column("occurred_at", sa.String(40), nullable=False),
    sa.Column("producer", sa.String(40), nullable=False),
    sa.Column("actor", sa.JSON, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("prev_hash", sa.String(64)),
    sa.Column("envelope", sa.Text, nullable=False),
)

# The directory as registration last described it (UnitAdded / UnitUpdated).
units = sa.Table(
    "units",
    metadata,
    sa.Column("unit_id", sa.String(100), primary_key=True),
    sa.Column("jurisdiction", sa.String(100), nullable=False, index=True),
    sa.Column("commune_code", sa.String(100), nullable=False, index=True),
    sa.Column("unit_type", sa.String(40), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("managing_level", sa.String(40), nullable=False),
    sa.Column("added_at", sa.String(40), nullable=False),
)
