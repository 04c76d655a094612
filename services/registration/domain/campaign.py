"""The yearly campaign calendar: defaults from the rules, edits only before a date passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.registration.domain.errors import Invalid
from shared.events.registration import CampaignScheduled

DATE_FIELDS = (
    "registration_deadline",
    "period_start",
    "period_end",
    "ra_period_start",
    "ra_period_end",
    "dossier_deadline",
)
# The campaign years the API accepts, as its schemas' Range(2000, 2100) for `year` in bodies.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Campaign:
    year: int
    dates: dict
    catalogue_version: str
    calendar_version: str
    version: int

    def dossier_window(self, unit_type: str) -> tuple[date, date]:
        end = self.dates["ra_period_end" if unit_type == "residential_area" else "period_end"]
        return date.fromordinal(end.toordinal() + 1), self.dates["dossier_deadline"]


def default_dates(year: int, rules: dict) -> dict[str, date]:
    return {
        name: date(year + spec["year_offset"], spec["month"], spec["day"])
        for name, spec in rules["dates"].items()
    }


def schedule(current: Campaign | None, year: int, requested: dict, today: date, rules: dict):
    """Set or change the year's calendar; dates that have passed cannot change."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(
            f"Năm đợt đánh giá phải nằm trong khoảng {FIRST_YEAR}–{LAST_YEAR}.",
            {"year": [f"Năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}."]},
        )
    base = current.dates if current else default_dates(year, rules)
    dates = {k: requested.get(k) or base[k] for k in DATE_FIELDS}
    problems = _order_problems(dates)
    if current:
        problems |= {
            k: ["Ngày này đã qua, không thể thay đổi."]
            for k in DATE_FIELDS
            if dates[k] != current.dates[k] and min(dates[k], current.dates[k]) < today
        }
    if problems:
        raise Invalid("Lịch đợt đánh giá chưa hợp lệ.", problems)
    if current and dates == current.dates:
        return []
    return [
        CampaignScheduled(
            year=year,
            **dates,
            catalogue_version=rules["catalogue_version"],
            calendar_version=rules["version"],
        )
    ]


def _order_problems(d: dict) -> dict:
    checks = {
        "period_end": d["period_start"] < d["period_end"],
        "ra_period_end": d["ra_period_start"] < d["ra_period_end"],
        "registration_deadline": d["period_start"] <= d["registration_deadline"] < d["period_end"],
        "dossier_deadline": d["dossier_deadline"] > max(d["period_end"], d["ra_period_end"]),
    }
    return {
        k: ["Ngày không phù hợp với thứ tự của lịch đánh giá."]
        for k, ok in checks.items()
        if not ok
    }


def fold(events) -> Campaign | None:
    state = None
    for version, e in enumerate(events, start=1):
        dates = {k: getattr(e, k) for k in DATE_FIELDS}
        state = Campaign(e.year, dates, e.catalogue_version, e.calendar_version, version)
    return state
