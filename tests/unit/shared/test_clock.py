"""The shifted clock of drills and tests: one timeline for every process of a stack."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from shared.clock import Clock, ClockRefused

START = "2026-11-20T09:00:00+07:00"


def test_processes_started_apart_with_one_anchor_tell_the_same_time():
    anchor = time.time() - 5  # the stack started five seconds ago
    first = Clock.from_setting(START, "development", anchor)
    later = Clock.from_setting(START, "development", anchor)
    gap = abs(later.now() - first.now())
    assert gap < timedelta(seconds=1)
    assert first.now() >= datetime.fromisoformat(START).astimezone(UTC) + timedelta(seconds=4)


def test_without_an_anchor_the_clock_reads_its_start_when_made():
    clock = Clock.from_setting(START, "development")
    assert abs(clock.now() - datetime.fromisoformat(START)) < timedelta(seconds=1)


def test_a_shifted_clock_is_refused_in_production():
    with pytest.raises(ClockRefused):
        Clock.from_setting(START, "production", time.time())
