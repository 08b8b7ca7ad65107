"""Working days as data: a calendar with the year's extra days off and make-up Saturdays, and
the admin's record of them on eventsourcing's in-memory persistence."""

from __future__ import annotations

from datetime import date

import pytest

from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import DEFAULT_CALENDAR, WorkingCalendar
from domain.kernel.errors import InvalidInput
from services.application.proposals import AwardsApplication
from services.application.working_calendar import WorkingCalendars, timer_days

ADMIN = Actor("admin", Role.ADMIN)


@pytest.fixture
def calendars() -> WorkingCalendars:
    return WorkingCalendars(AwardsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}))


def test_calendar_with_a_day_off_and_a_saturday_counts_them() -> None:
    off, saturday = date(2027, 10, 15), date(2027, 10, 9)
    swapped = WorkingCalendar().with_days(frozenset({off}), frozenset({saturday}))
    assert not swapped.is_working_day(off)
    assert swapped.is_working_day(saturday)
    assert DEFAULT_CALENDAR.is_working_day(off)
    assert not DEFAULT_CALENDAR.is_working_day(saturday)


def test_recorded_day_off_changes_the_stored_calendar(calendars: WorkingCalendars) -> None:
    day = date(2027, 10, 15)  # a Friday
    assert calendars.calendar().is_working_day(day)
    assert calendars.add_day_off(day, ADMIN, "a swap", "k1") is True
    assert calendars.add_day_off(day, ADMIN, "a swap", "k1") is False
    assert not calendars.calendar().is_working_day(day)
    recorded = [d for d in calendars.year(2027) if d.source == "recorded"]
    assert [(d.day, d.working, d.reason, d.actor) for d in recorded] == [
        (day, False, "a swap", "admin")
    ]


def test_recorded_working_saturday_is_a_working_day(calendars: WorkingCalendars) -> None:
    day = date(2027, 8, 28)
    calendars.add_working_saturday(day, ADMIN, "make-up for 3/9", "k1")
    assert calendars.calendar().is_working_day(day)


def test_only_a_saturday_can_be_made_a_working_day(calendars: WorkingCalendars) -> None:
    with pytest.raises(InvalidInput, match="not a Saturday"):
        calendars.add_working_saturday(date(2027, 8, 29), ADMIN, "Sunday", "k1")


def test_a_holiday_cannot_be_given_off_again(calendars: WorkingCalendars) -> None:
    with pytest.raises(InvalidInput, match="not a working day"):
        calendars.add_day_off(date(2027, 9, 2), ADMIN, "National Day", "k1")


def test_year_lists_public_holidays_and_the_table(calendars: WorkingCalendars) -> None:
    days = calendars.year(2026)
    assert any(d.day == date(2026, 9, 2) and d.source == "holiday" for d in days)
    assert any(d.day == date(2026, 8, 22) and d.working and d.source == "table" for d in days)


def test_timer_days_span_the_weekend() -> None:
    friday = date(2026, 10, 2)
    assert timer_days(DEFAULT_CALENDAR, friday, 1) == 3  # Monday
    assert timer_days(DEFAULT_CALENDAR, friday, 5) == 7
