"""One injectable clock: real time, or real time shifted to start at ANTT_CLOCK."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")


class ClockRefused(RuntimeError):
    """A shifted clock was asked for in production."""


class Clock:
    """Runs at real speed from `start` (UTC-aware); `Clock()` is the wall clock."""

    def __init__(
        self,
        start: datetime | None = None,
        _monotonic=time.monotonic,
        anchor: float | None = None,
    ):
        """`anchor`: the wall-clock instant (Unix seconds) at which the clock read `start`;
        by default the moment it is made."""
        self._monotonic = _monotonic
        self._offset = timedelta(0)
        if start is not None:
            at = datetime.fromtimestamp(anchor, UTC) if anchor else datetime.now(UTC)
            self._offset = _aware(start) - at

    @classmethod
    def from_setting(
        cls, clock_start: str | None, environment: str, anchor: float | None = None
    ) -> Clock:
        if not clock_start:
            return cls()
        if environment == "production":
            raise ClockRefused("ANTT_CLOCK không được dùng khi ANTT_ENV=production")
        return cls(datetime.fromisoformat(clock_start), anchor=anchor)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def today_vn(self) -> date:
        return self.now().astimezone(VIETNAM).date()


class FixedClock(Clock):
    """A clock that stands still until moved; for tests and scheduler drills."""

    def __init__(self, at: datetime):
        super().__init__()
        self._at = _aware(at)

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def _aware(moment: datetime) -> datetime:
    # A naive ISO datetime in ANTT_CLOCK is read as Vietnam time, as officials write it.
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
