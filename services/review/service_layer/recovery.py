"""What review's commands keep beside its events, rebuilt from events put back by `antt
recover` (shared/recovery.py): each case's timeline."""

from __future__ import annotations

from services.review.adapters import repository as repo


def reproject(rt, conn, envelopes) -> None:
    """The case steps review itself recorded (returns, recommendations, decisions …) join
    their case's timeline, as the commands did (shared/recovery.py calls this)."""
    for env in envelopes:
        if env.unit_id and env.year and env.stream_id == repo.review_stream(env.unit_id, env.year):
            repo.add_to_timeline(conn, env)
