"""Vietnam's working calendar: Vietnam time, working days between two dates, N working days on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

import holidays

VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving: a fixed offset is exact

# The government's yearly swaps for cán bộ, công chức, viên chức, as announced each year by the
# ministry in charge of labour (Bộ Lao động – Thương binh và Xã hội to 2024, Bộ Nội vụ from
# 2025): a weekday given off and the Saturday worked in exchange. `holidays.VN` knows the days
# off of most swaps but not the Saturdays worked, which only this table says. Check each new
# year's notice and add its line; a year missing here counts public holidays and weekends only.
EXTRA_DAYS_OFF: frozenset[date] = frozenset(
    {
        date(2024, 4, 29),  # 30/4–1/5 joined to the weekend; worked on Saturday 4/5
        date(2025, 1, 27),  # Tết Ất Tỵ from Saturday 25/1; worked on Saturday 8/2
        date(2025, 5, 2),  # 30/4–1/5 joined to the weekend; worked on Saturday 26/4
        date(2026, 8, 31),  # 2/9 joined to the weekend; worked on Saturday 22/8
    }
)
MAKE_UP_SATURDAYS: frozenset[date] = frozenset(
    {date(2024, 5, 4), date(2025, 2, 8), date(2025, 4, 26), date(2026, 8, 22)}
)


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> dict[date, str]:
    return dict(holidays.VN(years=year))  # type: ignore[attr-defined]


def public_holidays(year: int) -> dict[date, str]:
    """Vietnam's public holidays of ``year`` (Tết included) with their names."""
    return dict(_public_holidays(year))


def today(now: datetime | None = None) -> date:
    """The date on an official's calendar in Vietnam, whatever zone ``now`` is in."""
    return (now or datetime.now(VIETNAM)).astimezone(VIETNAM).date()


@dataclass(frozen=True)
class WorkingCalendar:
    """Vietnam's working days: weekends and public holidays off (``holidays.VN``, Tết
    included), plus the government's extra days off and make-up Saturdays, which are data: the
    service keeps them per year (``awards calendar``), these tables being the default."""

    days_off: frozenset[date] = EXTRA_DAYS_OFF
    working_saturdays: frozenset[date] = MAKE_UP_SATURDAYS

    def is_working_day(self, day: date) -> bool:
        if day in self.working_saturdays:
            return True
        if day.weekday() >= 5 or day in self.days_off:
            return False
        return day not in _public_holidays(day.year)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is
        before ``start`` (so a deadline passed reads as a count of working days overdue)."""
        if end < start:
            return -self.working_days_between(end, start)
        days = range(1, (end - start).days + 1)
        return sum(1 for n in days if self.is_working_day(start + timedelta(n)))

    def add_working_days(self, start: date, count: int) -> date:
        """The date ``count`` working days after ``start`` (``count`` ≥ 0; 0 answers it)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        while count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def distance_to(self, deadline: datetime, now: datetime) -> DeadlineDistance:
        """The working days from now to a deadline, counted on Vietnam's calendar."""
        days = self.working_days_between(today(now), today(deadline))
        if deadline < now:
            return DeadlineDistance(max(0, -days), overdue=True)
        return DeadlineDistance(max(0, days), overdue=False)

    def with_days(
        self, days_off: frozenset[date], working_saturdays: frozenset[date]
    ) -> WorkingCalendar:
        """This calendar with more days off and make-up Saturdays."""
        return WorkingCalendar(self.days_off | days_off, self.working_saturdays | working_saturdays)


DEFAULT_CALENDAR = WorkingCalendar()  # pure code without the stored calendar uses it


def is_working_day(day: date) -> bool:
    return DEFAULT_CALENDAR.is_working_day(day)


def working_days_between(start: date, end: date) -> int:
    return DEFAULT_CALENDAR.working_days_between(start, end)


def add_working_days(start: date, count: int) -> date:
    return DEFAULT_CALENDAR.add_working_days(start, count)


NEAR_DAYS = 3  # a deadline this many working days away or fewer is marked near


@dataclass(frozen=True)
class DeadlineDistance:
    """How far a deadline is, in working days, from now: left, or overdue by."""

    days: int  # working days left (≥ 0), or overdue by (≥ 0) when ``overdue``
    overdue: bool

    @property
    def near(self) -> bool:
        return not self.overdue and self.days <= NEAR_DAYS


def distance_to(deadline: datetime, now: datetime) -> DeadlineDistance:
    return DEFAULT_CALENDAR.distance_to(deadline, now)
