"""Notification's own tables, kept in the same database as its event store."""

import sqlalchemy as sa

metadata = sa.MetaData()

# Who to write to: the directory as registration's UnitAdded/UnitUpdated describe it.
recipients = sa.Table(
    "recipients",
    metadata,
    sa.Column("unit_id", sa.String(100), primary_key=True),
    sa.Column("jurisdiction", sa.String(100), nullable=False, index=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("contact_email", sa.String(320)),
    sa.Column("commune_code", sa.String(100)),
    sa.Column("unit_type", sa.String(40)),
)

# One row per notification made; its id is derived from the cause, so a second one can't exist.
notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("notification_id", sa.String(36), primary_key=True),
    sa.Column("unit_id", sa.String(100), nullable=False, index=True),
    sa.Column("year", sa.Integer, index=True),
    sa.Column("template", sa.String(60), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("recipient", sa.String(320), nullable=False),
    sa.Column("subject", sa.String(500), nullable=False),
    sa.Column("cause_event_id", sa.String(36), nullable=False),
    sa.Column("cause_event_type", sa.String(100), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("sent_at", sa.String(40)),
    sa.Column("jurisdiction", sa.String(100), index=True),
)
