"""Kernel tables every service database holds beside its own projections."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# The service's log. `position` is dense and assigned under the log_head row lock, so
# position order is commit order and a reader tailing "position > p" never skips a row.
events = sa.Table(
    "events",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("event_id", sa.String(36), nullable=False, unique=True),
    sa.Column("stream_id", sa.String(200), nullable=False),
    sa.Column("stream_version", sa.Integer, nullable=False),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("event_version", sa.Integer, nullable=False),
    sa.Column("unit_id", sa.String(100), index=True),
    sa.Column("year", sa.Integer),
    sa.Column("occurred_at", sa.String(40), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("envelope", sa.Text, nullable=False),
    sa.UniqueConstraint("stream_id", "stream_version", name="uq_events_stream_version"),
)

log_head = sa.Table(
    "log_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("position", sa.BigInteger, nullable=False),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("position", sa.BigInteger, sa.ForeignKey("events.position"), primary_key=True),
    sa.Column("topic", sa.String(200), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("published_at", sa.String(40), index=True),
    sa.Column("partition", sa.Integer),
    sa.Column("offset", sa.BigInteger),
    # The W3C traceparent of the request that appended the event (not part of the envelope,
    # which is hashed and public): the relay sends it as the record's `traceparent` header.
    sa.Column("trace_context", sa.String(128)),
)

inbox = sa.Table(
    "inbox",
    metadata,
    sa.Column("consumer", sa.String(100), primary_key=True),
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("processed_at", sa.String(40), nullable=False),
)

# Last stream_version each consumer applied per stream: a gap means an event is missing.
stream_seen = sa.Table(
    "stream_seen",
    metadata,
    sa.Column("consumer", sa.String(100), primary_key=True),
    sa.Column("stream_id", sa.String(200), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)

parked = sa.Table(
    "parked",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("consumer", sa.String(100), nullable=False, index=True),
    sa.Column("topic", sa.String(200), nullable=False),
    sa.Column("partition", sa.Integer, nullable=False),
    sa.Column("offset", sa.BigInteger, nullable=False),
    sa.Column("key", sa.String(200)),
    sa.Column("value", sa.LargeBinary, nullable=False),
    sa.Column("event_id", sa.String(100)),
    sa.Column("event_type", sa.String(100)),
    sa.Column("stream_id", sa.String(200)),
    # The other stream this event waits for (a handler raised Awaiting): retried when it moves.
    sa.Column("waiting_for", sa.String(200), index=True),
    # The class of problem (messaging.claims.Unprocessable.kind): some are retried by a sweep.
    sa.Column("kind", sa.String(30), nullable=False, server_default="failed"),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, default="parked"),
    sa.Column("parked_at", sa.String(40), nullable=False),
    sa.Column("resolved_at", sa.String(40)),
    sa.UniqueConstraint("consumer", "topic", "partition", "offset", name="uq_parked_record"),
)

consumer_progress = sa.Table(
    "consumer_progress",
    metadata,
    sa.Column("consumer", sa.String(100), primary_key=True),
    sa.Column("topic", sa.String(200), primary_key=True),
    sa.Column("partition", sa.Integer, primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("highwater", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
)
