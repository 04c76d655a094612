"""Which reminders are due on a day: pure rules over the calendar and a unit's progress."""

from __future__ import annotations

from datetime import date, timedelta

from services.notification.domain.reminders import (
    Calendar,
    Progress,
    due_offset,
    reminders_due,
)

CAL = Calendar(2026, date(2026, 3, 31), date(2026, 11, 30))
OFFSETS = (14, 3, 1)


def due(day, **progress):
    found = reminders_due(day, CAL, [Progress("kdc-1", 2026, **progress)], OFFSETS)
    return [(r.kind, r.offset, r.deadline, r.days_left) for r in found]


def test_the_most_recent_offset_reached_is_the_one_due():
    assert [due_offset(d, OFFSETS) for d in (15, 14, 10, 3, 2, 1, 0, -1)] == [
        None, 14, 14, 3, 3, 1, 1, None,
    ]  # fmt: skip


def test_an_unregistered_unit_is_reminded_of_the_registration_deadline():
    assert due(date(2026, 3, 16)) == []
    assert due(date(2026, 3, 17)) == [("registration", 14, date(2026, 3, 31), 14)]
    assert due(date(2026, 3, 31)) == [("registration", 1, date(2026, 3, 31), 0)]
    assert due(date(2026, 4, 1)) == []


def test_a_late_exception_moves_the_units_own_deadline():
    later = date(2026, 4, 15)
    assert due(date(2026, 4, 14), registration_until=later) == [("registration", 1, later, 1)]
    assert due(date(2026, 4, 14), registered=True, dossier_until=date(2026, 12, 10)) == []


def test_a_registered_unit_without_dossier_is_reminded_of_the_dossier_deadline():
    assert due(date(2026, 11, 27), registered=True) == [("dossier", 3, date(2026, 11, 30), 3)]
    assert due(date(2026, 11, 27), registered=True, dossier_revision=1) == []


def test_a_returned_dossier_is_reminded_before_its_due_date_and_once_after():
    returned = {"registered": True, "dossier_revision": 1, "returned_revision": 1}
    returned["return_due"] = date(2026, 12, 15)
    assert due(date(2026, 12, 12), **returned) == [("return", 3, date(2026, 12, 15), 3)]
    assert due(date(2026, 12, 17), **returned) == [("overdue", 0, date(2026, 12, 15), -2)]
    resubmitted = {**returned, "dossier_revision": 2}
    assert due(date(2026, 12, 12), **resubmitted) == []


def test_the_key_names_unit_year_kind_revision_and_offset():
    day = date(2026, 12, 14)
    [r] = reminders_due(
        day,
        CAL,
        [Progress("kdc-1", 2026, True, 2, 2, day + timedelta(days=1))],
        OFFSETS,
    )
    assert r.key == "kdc-1|2026|return.r2|1" and r.template == "reminder_return"
