"""An append on PostgreSQL in one statement: positions reserved, events and outbox rows written."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa

_COLUMNS = (
    ("event_id", "varchar"),
    ("stream_id", "varchar"),
    ("stream_version", "integer"),
    ("event_type", "varchar"),
    ("event_version", "integer"),
    ("unit_id", "varchar"),
    ("year", "integer"),
    ("occurred_at", "varchar"),
    ("hash", "varchar"),
    ("envelope", "text"),
)
_NAMES = ", ".join(name for name, _ in _COLUMNS)


@cache
def _statement(count: int) -> sa.TextClause:
    """The append of `count` events. One round trip instead of three (reserve, events, outbox):
    the UPDATE takes the log_head row lock that serialises the service's appends until commit,
    exactly as the separate statements did, so position order stays commit order. The outbox
    rows' foreign keys are checked at the end of the statement, when the events rows exist.
    Each value is its own parameter (not an array): psycopg sends those as they are, while an
    array of envelopes is escaped quote by quote."""
    rows = ",\n".join(
        f"({n}, " + ", ".join(f"CAST(:{name}_{n} AS {kind})" for name, kind in _COLUMNS) + ")"
        for n in range(1, count + 1)
    )
    return sa.text(
        f"""
        WITH head AS (
            UPDATE log_head SET position = position + {count} WHERE id = 1 RETURNING position
        ), new (n, {_NAMES}) AS (
            VALUES {rows}
        ), placed AS (
            INSERT INTO events (position, {_NAMES})
            SELECT head.position - {count} + new.n, {", ".join(f"new.{n}" for n, _ in _COLUMNS)}
            FROM head, new
            RETURNING position, coalesce(nullif(unit_id, ''), stream_id) AS key
        )
        INSERT INTO outbox (position, topic, key, trace_context)
        SELECT position, :topic, key, CAST(:trace_context AS varchar) FROM placed
        """
    )


def appended_in_one_statement(
    conn, topic: str, envelopes: list, trace_context: str | None = None
) -> None:
    """Store sealed `envelopes` after the log's head with their outbox rows (PostgreSQL only);
    `trace_context`: the W3C traceparent of the request that appends, for the relay."""
    params: dict = {"topic": topic, "trace_context": trace_context}
    for n, env in enumerate(envelopes, start=1):
        params |= {f"{name}_{n}": getattr(env, name) for name, _ in _COLUMNS[:-1]}
        params[f"envelope_{n}"] = env.to_bytes().decode()
    conn.execute(_statement(len(envelopes)), params)
