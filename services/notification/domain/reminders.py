"""Which deadline reminders are due on a day: pure, from the calendar and each unit's progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

REGISTRATION, DOSSIER, RETURN, RETURN_OVERDUE = "registration", "dossier", "return", "overdue"
TEMPLATES = {
    REGISTRATION: "reminder_registration",
    DOSSIER: "reminder_dossier",
    RETURN: "reminder_return",
    RETURN_OVERDUE: "reminder_return_overdue",
}


@dataclass(frozen=True)
class Calendar:
    year: int
    registration_deadline: date
    dossier_deadline: date


@dataclass(frozen=True)
class Progress:
    """Where one unit stands in one year, as the consumed events tell it."""

    unit_id: str
    year: int
    registered: bool = False
    dossier_revision: int = 0
    returned_revision: int | None = None
    return_due: date | None = None
    registration_until: date | None = None
    dossier_until: date | None = None

    @property
    def open_return(self) -> bool:
        return (
            self.returned_revision is not None and self.returned_revision >= self.dossier_revision
        )


@dataclass(frozen=True)
class Reminder:
    unit_id: str
    year: int
    kind: str
    offset: int  # days before the deadline; 0 for "the due date has passed"
    deadline: date
    days_left: int
    revision: int | None = None

    @property
    def key(self) -> str:
        """Once per unit, year, kind (and returned revision) and offset: the claim's unique key."""
        kind = f"{self.kind}.r{self.revision}" if self.revision else self.kind
        return f"{self.unit_id}|{self.year}|{kind}|{self.offset}"

    @property
    def template(self) -> str:
        return TEMPLATES[self.kind]


def due_offset(days_left: int, offsets: Iterable[int]) -> int | None:
    """The smallest offset already reached: on a late start only the most urgent one is sent."""
    reached = [n for n in offsets if 0 <= days_left <= n]
    return min(reached) if reached else None


def reminders_due(
    today: date, calendar: Calendar, units: Iterable[Progress], offsets: tuple[int, ...]
) -> list[Reminder]:
    due = []
    for unit in units:
        due += _for_unit(today, calendar, unit, offsets)
    return due


def _for_unit(today, calendar: Calendar, unit: Progress, offsets) -> list[Reminder]:
    if not unit.registered:
        deadline = _later(calendar.registration_deadline, unit.registration_until)
        return _before(today, unit, REGISTRATION, deadline, offsets)
    if unit.dossier_revision == 0:
        deadline = _later(calendar.dossier_deadline, unit.dossier_until)
        return _before(today, unit, DOSSIER, deadline, offsets)
    if unit.open_return and unit.return_due:
        rev = unit.returned_revision
        days_left = (unit.return_due - today).days
        if days_left < 0:
            return [
                Reminder(
                    unit.unit_id, unit.year, RETURN_OVERDUE, 0, unit.return_due, days_left, rev
                )
            ]
        return _before(today, unit, RETURN, unit.return_due, offsets, rev)
    return []


def _before(today, unit: Progress, kind, deadline: date, offsets, revision=None) -> list[Reminder]:
    days_left = (deadline - today).days
    offset = due_offset(days_left, offsets)
    if offset is None:
        return []
    return [Reminder(unit.unit_id, unit.year, kind, offset, deadline, days_left, revision)]


def _later(deadline: date, until: date | None) -> date:
    # A late exception moves this unit's own deadline, never earlier than the campaign's.
    return max(deadline, until) if until else deadline
