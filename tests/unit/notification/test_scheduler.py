"""The scheduler on SQLite: reminders recorded once per key, with the text a unit can act on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from services.notification.adapters.tables import notifications
from services.notification.bootstrap import scheduler
from shared.clock import VIETNAM
from tests.unit.notification.feeding import campaign, late_exception, registered
from tests.unit.notification.test_consumer import published


def reminders(rt):
    with rt.engine.connect() as conn:
        q = sa.select(notifications).where(notifications.c.cause_event_type == "Reminder")
        return list(conn.execute(q.order_by(notifications.c.created_at)))


def at(clock, day: date, hour=8):
    clock._at = datetime(day.year, day.month, day.day, hour, tzinfo=VIETNAM)


def test_a_tick_on_the_day_records_one_reminder_and_a_second_tick_nothing(feed, rt, clock):
    feed.emit("registration", "campaign-2026", campaign())
    feed.unit()
    at(clock, date(2026, 3, 17))
    [made] = scheduler(rt).tick()
    assert made.key == "loc-tho|2026|registration|14"
    assert scheduler(rt).tick() == []
    [row] = reminders(rt)
    assert (row.template, row.recipient, row.status) == (
        "reminder_registration",
        "ubnd.loctho@example.vn",
        "pending",
    )
    assert row.subject == (
        "Nhắc hạn đăng ký phấn đấu đạt chuẩn ANTT năm 2026 (31/03/2026) – Phường Lộc Thọ"
    )
    assert "Hạn đăng ký là ngày 31/03/2026 (còn 14 ngày)" in row.text_body


def test_the_day_is_the_vietnamese_day_not_the_utc_one(feed, rt, clock):
    feed.emit("registration", "campaign-2026", campaign())
    feed.unit()
    at(clock, date(2026, 3, 17), hour=0)  # 17/03 00:00 in Hà Nội is still 16/03 in UTC
    assert [r.offset for r in scheduler(rt).tick()] == [14]


def test_a_registered_unit_is_not_reminded_to_register(feed, rt, clock):
    feed.emit("registration", "campaign-2026", campaign())
    feed.unit()
    feed.emit("registration", "case-loc-tho-2026", registered())
    at(clock, date(2026, 3, 30))
    assert scheduler(rt).tick() == []


def test_a_late_exception_gets_reminders_before_its_own_deadline(feed, rt, clock):
    feed.emit("registration", "campaign-2026", campaign())
    feed.unit()
    feed.emit("registration", "late-loc-tho", late_exception(until=date(2026, 4, 15)))
    at(clock, date(2026, 4, 12))
    [made] = scheduler(rt).tick()
    assert (made.offset, made.deadline) == (3, date(2026, 4, 15))


def test_a_unit_without_address_has_its_reminder_failed_with_the_reason(feed, rt, clock):
    feed.emit("registration", "campaign-2026", campaign())
    feed.unit(email="")
    at(clock, date(2026, 3, 28))
    scheduler(rt).tick()
    [row] = reminders(rt)
    assert (row.status, row.error) == ("failed", "không có địa chỉ e-mail")
    [(_, _, env)] = published(rt)
    assert env.event_type == "NotificationFailed"
    assert env.payload["reminder_key"] == "loc-tho|2026|registration|3"


def test_the_loop_ticks_on_the_clock_until_stopped(feed, rt, clock):
    import threading

    feed.emit("registration", "campaign-2026", campaign())
    feed.unit()
    at(clock, date(2026, 3, 30))
    stop = threading.Event()
    sched = scheduler(rt)
    sched.parts.mail = sched.parts.mail.but(scheduler_interval_s=0.01)
    thread = threading.Thread(target=sched.run, args=(stop,))
    thread.start()
    deadline = datetime.now() + timedelta(seconds=10)
    while not reminders(rt) and datetime.now() < deadline:
        stop.wait(0.01)
    stop.set()
    thread.join(5)
    assert [r.reminder_key for r in reminders(rt)] == ["loc-tho|2026|registration|1"]


def test_no_reminder_while_the_consumer_has_events_left_to_read(feed, rt, clock):
    feed.emit("registration", "campaign-2026", campaign())
    feed.unit()
    at(clock, date(2026, 3, 30))
    feed.consumer.record_progress([("antt.registration", 0, 7, 9)])
    assert scheduler(rt).tick() == []  # the unit's registration may be among those two
    feed.consumer.record_progress([("antt.registration", 0, 9, 9)])
    assert [r.offset for r in scheduler(rt).tick()] == [1]
