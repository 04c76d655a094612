"""Notification's own tables, kept in the same database as its event store."""

import sqlalchemy as sa

metadata = sa.MetaData()
Str = sa.String

# Who to write to: the directory as registration's UnitAdded/UnitUpdated describe it.
recipients = sa.Table(
    "unit_contacts",
    metadata,
    sa.Column("unit_id", Str(100), primary_key=True),
    sa.Column("jurisdiction", Str(100), nullable=False, index=True),
    sa.Column("name", Str(300), nullable=False),
    sa.Column("contact_email", Str(320)),
    sa.Column("commune_code", Str(100)),
    sa.Column("unit_type", Str(40)),
    sa.Column("managing_level", Str(20)),
)

# The yearly calendar (CampaignScheduled): the deadlines the scheduler reminds of.
campaigns = sa.Table(
    "campaigns",
    metadata,
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("registration_deadline", sa.Date, nullable=False),
    sa.Column("dossier_deadline", sa.Date, nullable=False),
)

# Where each unit stands in a year: what the reminders depend on.
progress = sa.Table(
    "unit_progress",
    metadata,
    sa.Column("unit_id", Str(100), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("registered", sa.Boolean, nullable=False, default=False),
    sa.Column("dossier_revision", sa.Integer, nullable=False, default=0),
    sa.Column("returned_revision", sa.Integer),
    sa.Column("return_due", sa.Date),
    sa.Column("registration_until", sa.Date),
    sa.Column("dossier_until", sa.Date),
)

# (New table names, not the walking skeleton's: an old var/notification.db keeps working.)
# One row per notification; its id derives from (cause, recipient), so a second can't exist.
# status: pending (waiting for the sender, maybe after a failed attempt) | sent | failed.
notifications = sa.Table(
    "notification_records",
    metadata,
    sa.Column("notification_id", Str(36), primary_key=True),
    sa.Column("unit_id", Str(100), nullable=False, index=True),
    sa.Column("year", sa.Integer, index=True),
    sa.Column("template", Str(60), nullable=False),
    sa.Column("audience", Str(20), nullable=False, default="unit"),
    sa.Column("channel", Str(20), nullable=False),
    sa.Column("recipient", Str(320), nullable=False),
    sa.Column("recipient_name", Str(300), nullable=False, default=""),
    sa.Column("subject", Str(500), nullable=False),
    sa.Column("text_body", sa.Text, nullable=False, default=""),
    sa.Column("html_body", sa.Text, nullable=False, default=""),
    sa.Column("cause_event_id", Str(36), nullable=False),
    sa.Column("cause_event_type", Str(100), nullable=False),
    sa.Column("reminder_key", Str(300), unique=True),
    sa.Column("status", Str(20), nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("error", sa.Text),
    sa.Column("created_at", Str(40), nullable=False),
    sa.Column("sent_at", Str(40)),
    sa.Column("next_attempt_at", Str(40)),
    # A sender owns a claimed row until then; a crashed sender's claim simply runs out.
    sa.Column("claimed_until", Str(40)),
    sa.Column("jurisdiction", Str(100), index=True),
    # The W3C traceparent of the record that caused it: the sender's span joins that trace.
    sa.Column("trace_context", Str(128)),
)

# Every delivery attempt, in order.
attempts = sa.Table(
    "notification_attempts",
    metadata,
    sa.Column(
        "notification_id",
        Str(36),
        sa.ForeignKey("notification_records.notification_id"),
        primary_key=True,
    ),
    sa.Column("attempt", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", Str(40), nullable=False),
    sa.Column("outcome", Str(20), nullable=False),
    sa.Column("error", sa.Text),
)
