"""The working calendar as use cases: the year's days off and make-up Saturdays an admin adds
(stored as events), and the calendar every deadline, reminder and "overdue" counts with."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain.kernel.actor import Actor
from domain.kernel.calendar import DEFAULT_CALENDAR, WorkingCalendar, public_holidays
from domain.kernel.calendar_book import CALENDAR_ID, CalendarBook

_Act = Callable[[CalendarBook], bool]
FRESH_SECONDS = 10.0  # another process's addition shows within this; this process's at once


@dataclass(frozen=True)
class SpecialDay:
    """A day off on a weekday, or a Saturday worked, and where the calendar has it from."""

    day: date
    working: bool
    source: str  # holiday (holidays.VN), table (domain/kernel/calendar.py) or recorded
    reason: str
    actor: str = ""


class WorkingCalendars:
    def __init__(self, app: Application[UUID]) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._cached: tuple[float, WorkingCalendar] | None = None

    def _book(self) -> CalendarBook | None:
        try:
            book: CalendarBook = self._app.repository.get(CALENDAR_ID)
        except AggregateNotFoundError:
            return None
        return book

    def calendar(self) -> WorkingCalendar:
        """The default tables with every recorded day."""
        with self._lock:
            if self._cached is None or time.monotonic() - self._cached[0] > FRESH_SECONDS:
                book = self._book()
                found = book.calendar(DEFAULT_CALENDAR) if book else DEFAULT_CALENDAR
                self._cached = (time.monotonic(), found)
            return self._cached[1]

    def year(self, year: int) -> list[SpecialDay]:
        """The year's days that are not as a plain week has them, in date order."""
        recorded = {d.day: d for d in (self._book() or CalendarBook.start()).days}
        days = [
            SpecialDay(day, False, "holiday", name)
            for day, name in public_holidays(year).items()
            if day.weekday() < 5
        ]
        for day in DEFAULT_CALENDAR.days_off | DEFAULT_CALENDAR.working_saturdays:
            if day.year == year and day not in recorded:
                working = day in DEFAULT_CALENDAR.working_saturdays
                days.append(SpecialDay(day, working, "table", "domain/kernel/calendar.py"))
        for day, entry in recorded.items():
            if day.year == year:
                days.append(
                    SpecialDay(day, entry.working, "recorded", entry.reason, entry.actor_id)
                )
        return sorted(days, key=lambda d: (d.day, d.source))

    def add_day_off(self, day: date, actor: Actor, reason: str, key: str) -> bool:
        return self._change(
            lambda book: book.add_day_off(day, actor, reason, key, DEFAULT_CALENDAR)
        )

    def add_working_saturday(self, day: date, actor: Actor, reason: str, key: str) -> bool:
        return self._change(
            lambda book: book.add_working_saturday(day, actor, reason, key, DEFAULT_CALENDAR)
        )

    def _change(self, act: _Act) -> bool:
        for attempt in range(3):
            book = self._book() or CalendarBook.start()
            if not act(book):
                return False
            try:
                self._app.save(book)
            except IntegrityError:
                if attempt == 2:
                    raise
                continue  # another admin's change came first: apply ours to the newer book
            with self._lock:
                self._cached = None
            return True
        raise AssertionError("unreachable")  # pragma: no cover


def timer_days(calendar: WorkingCalendar, start: date, working_days: int) -> int:
    """The calendar days from ``start`` to ``working_days`` working days after it: what a
    workflow's timer waits when the step opens on ``start``."""
    return (calendar.add_working_days(start, working_days) - start) // timedelta(days=1)
