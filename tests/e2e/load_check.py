"""Nothing lost, nothing doubled: every projection equals what the producers' event stores imply.

`settle` waits until the relays have published everything and every consumer has read it;
`assert_projections_match_event_stores` then compares, exactly, each consumer's copy with the
producers' `events` tables (registration, review, notification).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

import sqlalchemy as sa

from shared.events import TOPICS
from tests.e2e.client import every_item

PRODUCERS = tuple(TOPICS)
# What each consumer reads (its bootstrap's consumer_topics).
CONSUMED = {
    "registration": ("review",),
    "review": PRODUCERS,
    "notification": PRODUCERS,
    "reporting": PRODUCERS,
}
# The furthest step a unit-year reached, and the status each projection shows for it.
STEPS = ("UnitRegistered", "DossierSubmitted", "RecommendationMade", "RecognitionDecided")
REVIEW_STATUS = dict(
    zip(STEPS, ("registered", "dossier_submitted", "recommended", "decided"), strict=True)
)
REPORT_STATUS = dict(
    zip(STEPS, ("registered", "dossier_submitted", "recommended", "recognized"), strict=True)
)


def rows(system, service: str, sql: str, **params) -> list:
    with system.engines[service].connect() as conn:
        return conn.execute(sa.text(sql), params).all()


def events_of(system, service: str) -> list:
    return rows(
        system,
        service,
        "SELECT position, event_id, stream_id, stream_version, event_type, unit_id, year"
        " FROM events ORDER BY position",
    )


def backlog(system) -> dict:
    """What is still on its way: unpublished outbox rows, unread events, unsent mail."""
    counts = {s: len(events_of(system, s)) for s in PRODUCERS}
    left = {
        f"{s} outbox": system.scalar(s, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
        for s in PRODUCERS
    }
    for consumer, topics in CONSUMED.items():
        read = system.scalar(
            consumer, "SELECT count(*) FROM inbox WHERE consumer = :c", c=f"antt-{consumer}"
        )
        left[f"{consumer} inbox"] = sum(counts[t] for t in topics) - read
    left["reporting event_log"] = sum(counts.values()) - system.scalar(
        "reporting", "SELECT count(DISTINCT event_id) FROM event_log"
    )
    # A record ends sent, or failed (e.g. a recipient without an address): not pending.
    left["mail pending"] = system.scalar(
        "notification",
        "SELECT count(*) FROM notification_records WHERE status NOT IN ('sent', 'failed')",
    )
    return {k: v for k, v in left.items() if v}


def settle(system, timeout_s: float = 240) -> None:
    """Wait until nothing is on its way, twice in a row (sent mail makes NotificationSent
    events, read a moment later); fail naming what is still on its way."""
    deadline, calm, left = time.monotonic() + timeout_s, 0, None
    told = time.monotonic()
    while calm < 2:
        left = backlog(system)
        calm = 0 if left else calm + 1
        if time.monotonic() > deadline:
            raise AssertionError(f"the system did not settle: {left}; {stuck(system)}")
        if time.monotonic() - told >= 15:  # progress, shown with -s or in a failure's output
            print(f"settling, still on its way: {left}", flush=True)
            told = time.monotonic()
        time.sleep(1.0)  # polling interval of the condition above


def stuck(system) -> dict:
    """What a failed settle reports: parked events (and whether their producer holds them
    under the same stream version), and unsent mail with its attempts."""
    parked = {
        c: [
            dict(r._mapping)
            for r in rows(
                system,
                c,
                'SELECT event_id, event_type, stream_id, topic, partition, "offset",'
                " reason FROM parked LIMIT 3",
            )
        ]
        for c in CONSUMED
    }
    for found in parked.values():
        for p in found:
            p["in stores"] = [
                (s, dict(r._mapping))
                for s in PRODUCERS
                for r in rows(
                    system,
                    s,
                    "SELECT event_id, stream_version, position FROM events WHERE stream_id = :s",
                    s=p["stream_id"] or "",
                )
            ]
    mail = rows(
        system,
        "notification",
        "SELECT notification_id, template, status, attempts, error, claimed_until,"
        " next_attempt_at, created_at FROM notification_records"
        " WHERE status NOT IN ('sent', 'failed') LIMIT 5",
    )
    return {"parked": parked, "unsent": [dict(r._mapping) for r in mail]}


def assert_projections_match_event_stores(system) -> dict:
    """Settle, then compare every projection with the event stores; return the tallies."""
    settle(system)
    stores = {s: events_of(system, s) for s in PRODUCERS}
    for service, events in stores.items():
        assert_nothing_half_written(system, service, events)
    assert_each_consumer_read_each_event_once(system, stores)
    assert_event_log_holds_every_event_once(system, stores)
    expected = furthest_steps(stores)
    assert_case_statuses(system, expected)
    assert_notifications(system, stores)
    return {s: len(e) for s, e in stores.items()} | {"cases": len(expected)}


def assert_nothing_half_written(system, service: str, events: list) -> None:
    """Every outbox row names an event and none waits (the relay prunes published rows to the
    last of each partition), and each stream is dense from version 1."""
    outbox = rows(system, service, "SELECT position, published_at FROM outbox")
    assert {r.position for r in outbox} <= {e.position for e in events}, f"{service}: stray rows"
    assert all(r.published_at for r in outbox), f"{service}: outbox rows still unpublished"
    versions = defaultdict(list)
    for e in events:
        versions[e.stream_id].append(e.stream_version)
    gaps = {s: v for s, v in versions.items() if sorted(v) != list(range(1, len(v) + 1))}
    assert not gaps, f"{service}: streams with gaps or repeats: {list(gaps.items())[:5]}"


def assert_each_consumer_read_each_event_once(system, stores: dict) -> None:
    for consumer, topics in CONSUMED.items():
        inbox = rows(system, consumer, "SELECT event_id FROM inbox WHERE consumer = :c",
                     c=f"antt-{consumer}")  # fmt: skip
        want = {e.event_id for t in topics for e in stores[t]}
        assert Counter(r.event_id for r in inbox) == Counter(want), f"{consumer}'s inbox"
        assert not rows(system, consumer, "SELECT id FROM parked WHERE status = 'parked'"), (
            f"{consumer} parked events"
        )


def assert_event_log_holds_every_event_once(system, stores: dict) -> None:
    logged = Counter(
        r.event_id for r in rows(system, "reporting", "SELECT event_id FROM event_log")
    )
    want = Counter(e.event_id for events in stores.values() for e in events)
    assert logged == want, {
        "missing": len(want - logged),
        "doubled": [k for k, n in logged.items() if n > 1][:5],
    }


def furthest_steps(stores: dict) -> dict:
    rank = {t: i for i, t in enumerate(STEPS)}
    furthest: dict = {}
    for e in (*stores["registration"], *stores["review"]):
        if e.event_type in rank and e.year:
            key = (e.unit_id, e.year)
            if key not in furthest or rank[e.event_type] > rank[furthest[key]]:
                furthest[key] = e.event_type
    return furthest


def assert_case_statuses(system, expected: dict) -> None:
    for year in {y for _, y in expected}:
        want = {u: step for (u, y), step in expected.items() if y == year}
        url = f"{system.stack.url('review')}/api/v1/cases?year={year}&limit=200"
        cases = {c["unit_id"]: c["status"] for c in every_item(url, system.tokens["reviewer"])}
        assert cases == {u: REVIEW_STATUS[s] for u, s in want.items()}, "review's cases"
        r = system.api("reporting", "GET", f"/reports/{year}", "auditor")
        assert r.status == 200, r.json
        report = {u["unit_id"]: u["status"] for u in r.json["units"] if u["unit_id"] in want}
        implied = {u: REPORT_STATUS[s] for u, s in want.items()}
        differ = {u: (report.get(u), v) for u, v in implied.items() if report.get(u) != v}
        assert not differ, f"reporting's units (shown, implied): {list(differ.items())[:5]}"
    added = {e.unit_id for e in _of_type(system, "registration", "UnitAdded")}
    assert {r.unit_id for r in rows(system, "review", "SELECT unit_id FROM units")} == added
    listed = {r.unit_id for r in rows(system, "reporting", "SELECT unit_id FROM units")}
    assert listed == added, "reporting's unit directory"


def assert_notifications(system, stores: dict) -> None:
    """One record per (cause event, recipient); each event of a notifying type got the same
    recipients; each sent record is one NotificationSent event."""
    records = rows(
        system,
        "notification",
        "SELECT notification_id, cause_event_id, cause_event_type, audience, recipient,"
        " recipient_name, status FROM notification_records WHERE reminder_key IS NULL",
    )
    # A recipient is its address, or (no address) its audience and name.
    pairs = Counter(_pair(r) for r in records)
    twice = [dict(r._mapping) for r in records if pairs[_pair(r)] > 1]
    assert not twice, f"a notification recorded twice: {twice[:6]}"
    by_id = {e.event_id: e for events in stores.values() for e in events}
    assert {r.cause_event_id for r in records} <= set(by_id), "a notification without its cause"
    per_event = Counter(r.cause_event_id for r in records)
    for kind in {r.cause_event_type for r in records}:
        of_kind = [e.event_id for e in by_id.values() if e.event_type == kind]
        counts = Counter(per_event[i] for i in of_kind)
        assert len(counts) == 1 and 0 not in counts, f"{kind}: recipients per event {counts}"
    sent = system.scalar(
        "notification", "SELECT count(*) FROM notification_records WHERE status = 'sent'"
    )
    told = sum(1 for e in stores["notification"] if e.event_type == "NotificationSent")
    assert told == sent, f"{told} NotificationSent events for {sent} sent records"


def _pair(r) -> tuple[str, str]:
    return (r.cause_event_id, r.recipient or f"{r.audience}:{r.recipient_name}")


def _of_type(system, service: str, event_type: str) -> list:
    return rows(system, service, "SELECT unit_id FROM events WHERE event_type = :t", t=event_type)
