"""Evaluation periods (Art. 8.2): which incidents count for a unit's year."""

from __future__ import annotations

from datetime import date

RA = "residential_area"


def evaluation_period(unit_type: str, year: int, campaign: dict | None, defaults: dict):
    """(start, end) of the unit's period: the year's campaign if known, else the Circular's."""
    if campaign:
        if unit_type == RA:
            return campaign["ra_period_start"], campaign["ra_period_end"]
        return campaign["period_start"], campaign["period_end"]
    spec = defaults["periods"][RA if unit_type == RA else "other"]
    return _day(year, spec["start"]), _day(year, spec["end"])


def inside(day: date, period) -> bool:
    # Both ends belong to the period: an incident on 15/11 counts for the year ending 15/11.
    start, end = period
    return start <= day <= end


def _day(year: int, spec: dict) -> date:
    return date(year + spec["year_offset"], spec["month"], spec["day"])
