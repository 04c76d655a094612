"""Two schedulers at once on PostgreSQL walk a whole campaign year on an injected clock: exactly
which reminders go to whom and when, each once, however the two race."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from services.notification.adapters.tables import notifications
from services.notification.bootstrap import bootstrap, scheduler
from services.notification.settings import NotificationSettings
from shared.clock import VIETNAM, FixedClock
from shared.messaging.consumer import IdempotentConsumer
from tests.conftest import settings_for
from tests.unit.notification.feeding import (
    Feed,
    Producers,
    campaign,
    registered,
    returned,
    submitted,
    unit_added,
)

pytestmark = pytest.mark.integration
START, END = date(2026, 1, 1), date(2027, 1, 15)
REG, DOS, RET, LATE = "reminder_registration", "reminder_dossier", "reminder_return", "overdue"


def day_plan():
    """What happens on which day: the units' own steps, as the other services would tell us."""
    return {
        date(2026, 1, 5): [
            ("registration", "campaign-2026", campaign()),
            *[
                ("registration", f"unit-{u}", unit_added(u, f"Khu dân cư {u}", mail))
                for u, mail in (
                    ("kdc-a", "a@example.vn"),
                    ("kdc-b", "b@example.vn"),
                    ("kdc-c", "c@example.vn"),
                    ("kdc-d", "d@example.vn"),
                    ("kdc-e", ""),
                )
            ],
        ],
        date(2026, 2, 1): [
            ("registration", "case-kdc-c", registered("kdc-c")),
            ("registration", "case-kdc-d", registered("kdc-d")),
        ],
        date(2026, 3, 20): [("registration", "case-kdc-b", registered("kdc-b"))],
        date(2026, 11, 10): [("registration", "case-kdc-d", submitted("kdc-d"))],
        date(2026, 11, 12): [("review", "review-kdc-d", returned("kdc-d", due=date(2026, 11, 26)))],
        date(2026, 11, 18): [("registration", "case-kdc-c", submitted("kdc-c"))],
        date(2026, 11, 24): [("registration", "case-kdc-d", submitted("kdc-d", revision=2))],
        date(2026, 11, 20): [("review", "review-kdc-c", returned("kdc-c", due=date(2026, 12, 10)))],
    }


EXPECTED = sorted(
    [
        # Never registers: three reminders before 31/03, nothing after.
        *[
            (d, "kdc-a", REG, o, "a@example.vn")
            for d, o in (("03-17", 14), ("03-28", 3), ("03-30", 1))
        ],
        # No address: the same three, each recorded as failed.
        *[(d, "kdc-e", REG, o, "") for d, o in (("03-17", 14), ("03-28", 3), ("03-30", 1))],
        # Registers on 20/03 after the first reminder; never files its dossier.
        ("03-17", "kdc-b", REG, 14, "b@example.vn"),
        *[
            (d, "kdc-b", DOS, o, "b@example.vn")
            for d, o in (("11-16", 14), ("11-27", 3), ("11-29", 1))
        ],
        # Files on 18/11, is returned on 20/11 (due 10/12) and never resubmits.
        ("11-16", "kdc-c", DOS, 14, "c@example.vn"),
        *[
            (d, "kdc-c", RET, o, "c@example.vn")
            for d, o in (("11-26", 14), ("12-07", 3), ("12-09", 1))
        ],
        ("12-11", "kdc-c", "reminder_return_overdue", 0, "c@example.vn"),
        # Returned on 12/11 (due 26/11): 14 days is reached at once; resubmits on 24/11.
        *[(d, "kdc-d", RET, o, "d@example.vn") for d, o in (("11-12", 14), ("11-23", 3))],
    ]
)


def at(clock: FixedClock, day: date) -> None:
    clock._at = datetime(day.year, day.month, day.day, 8, tzinfo=VIETNAM)


def test_two_schedulers_walking_a_year_send_each_reminder_once_to_the_right_unit(pg, tmp_path):
    url = pg.new("notification_sched")
    clock = FixedClock(datetime(2026, 1, 1, 8, tzinfo=VIETNAM))
    settings = settings_for("notification", url, var_dir=tmp_path)
    mail = NotificationSettings(reminder_offsets_days=(14, 3, 1))
    rts = [bootstrap(settings, clock, mail), bootstrap(settings, clock, mail)]
    consumer = IdempotentConsumer("antt-notification", rts[0].engine, rts[0].handlers, clock)
    feed = Feed(Producers(f"sqlite:///{tmp_path / 'producers.db'}", clock), consumer)
    schedulers = [scheduler(rt) for rt in rts]
    plan, made = day_plan(), [[], []]
    barrier = threading.Barrier(2)

    def tick(i: int):
        barrier.wait()  # both start the same tick at the same moment
        return schedulers[i].tick()

    try:
        with ThreadPoolExecutor(2) as pool:
            day = START
            while day <= END:
                at(clock, day)
                for producer, stream, event in plan.get(day, []):
                    feed.emit(producer, stream, event)
                at(clock, day)
                for i, found in enumerate(pool.map(tick, (0, 1))):
                    made[i] += [(day, r.key) for r in found]
                day += timedelta(days=1)
        with rts[0].engine.connect() as conn:
            rows = list(
                conn.execute(
                    sa.select(notifications).where(notifications.c.cause_event_type == "Reminder")
                )
            )
    finally:
        for rt in rts:
            rt.engine.dispose()
        feed.producers.engine.dispose()

    got = sorted(
        (
            _md(r.created_at),
            r.unit_id,
            r.template,
            int(r.reminder_key.rsplit("|", 1)[1]),
            r.recipient,
        )
        for r in rows
    )
    assert got == EXPECTED
    # Each reminder was claimed by exactly one of the two schedulers, on the day it fell due.
    keys = [key for _, key in made[0] + made[1]]
    assert len(keys) == len(set(keys)) == len(EXPECTED)
    assert {r.status for r in rows if r.unit_id == "kdc-e"} == {"failed"}
    assert {r.status for r in rows if r.unit_id != "kdc-e"} == {"pending"}


def _md(created_at: str) -> str:
    """The Vietnamese calendar day (MM-DD) of a stored UTC timestamp."""
    moment = datetime.fromisoformat(created_at.replace("Z", "+00:00")).astimezone(VIETNAM)
    return moment.strftime("%m-%d")
