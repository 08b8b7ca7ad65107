"""Working days in Vietnam: weekends, public holidays with Tết, the government's swaps."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.kernel.calendar import (
    VIETNAM,
    add_working_days,
    distance_to,
    is_working_day,
    today,
    working_days_between,
)


def test_tet_2026_is_five_working_days_off() -> None:
    # Tết Bính Ngọ: Monday 16/2 to Friday 20/2/2026, between two weekends.
    assert not any(is_working_day(date(2026, 2, d)) for d in range(14, 23))
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)


def test_reunification_and_labour_day_are_off() -> None:
    assert not is_working_day(date(2026, 4, 30))
    assert not is_working_day(date(2026, 5, 1))
    assert add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)


def test_national_day_2026_with_its_swap() -> None:
    assert not is_working_day(date(2026, 9, 2))
    assert not is_working_day(date(2026, 9, 1))
    assert not is_working_day(date(2026, 8, 31))  # given off in exchange for Saturday 22/8
    assert is_working_day(date(2026, 8, 22))


def test_a_make_up_saturday_is_a_working_day_and_other_saturdays_are_not() -> None:
    assert is_working_day(date(2025, 4, 26))
    assert not is_working_day(date(2025, 4, 19))
    assert not is_working_day(date(2025, 5, 2))


def test_an_ordinary_week_has_five_working_days() -> None:
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 13)) == 5
    assert working_days_between(date(2026, 3, 13), date(2026, 3, 6)) == -5
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0


def test_adding_then_counting_gives_the_count_back() -> None:
    start = date(2025, 12, 20)
    for count in (0, 1, 7, 20, 60):
        assert working_days_between(start, add_working_days(start, count)) == count


def test_adding_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)


def test_the_date_is_the_one_on_a_vietnamese_calendar() -> None:
    late_utc = datetime.fromisoformat("2026-03-09T20:00:00+00:00")  # 03:00 on the 10th there
    assert today(late_utc) == date(2026, 3, 10)


def test_a_deadline_in_three_working_days_is_near() -> None:
    now = datetime(2026, 3, 9, 9, tzinfo=VIETNAM)  # Monday
    left = distance_to(now + timedelta(days=3), now)
    assert (left.days, left.overdue, left.near) == (3, False, True)
    far = distance_to(now + timedelta(days=7), now)
    assert (far.days, far.near) == (5, False)


def test_a_deadline_passed_reads_as_working_days_overdue() -> None:
    now = datetime(2026, 2, 23, 9, tzinfo=VIETNAM)  # the Monday after Tết
    late = distance_to(datetime(2026, 2, 12, 17, tzinfo=VIETNAM), now)
    assert (late.days, late.overdue, late.near) == (2, True, False)  # Friday 13/2, Monday 23/2
