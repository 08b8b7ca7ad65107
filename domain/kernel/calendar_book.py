"""The government's yearly swaps as events: extra days off and make-up working Saturdays, each
added by an admin with a reason. One small aggregate holds every year (a few days a year)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import Aggregate, event

from domain.kernel.actor import Actor
from domain.kernel.calendar import WorkingCalendar
from domain.kernel.errors import InvalidInput

CALENDAR_ID = uuid5(NAMESPACE_URL, "urn:awards:working-calendar")


@dataclass(frozen=True)
class CalendarDay:
    """A day the calendar changes: ``working`` is a make-up Saturday, else a day off."""

    day: date
    working: bool
    reason: str
    actor_id: str


class CalendarBook(Aggregate):
    class Started(Aggregate.Created):
        pass

    class DayOffAdded(Aggregate.Event):
        day: str  # ISO date
        actor_id: str
        actor_role: str
        reason: str
        key: str

    class WorkingSaturdayAdded(Aggregate.Event):
        day: str
        actor_id: str
        actor_role: str
        reason: str
        key: str

    @event(Started)
    def __init__(self, *, id: object) -> None:
        self.days: list[CalendarDay] = []
        self.keys: list[str] = []

    @classmethod
    def start(cls) -> CalendarBook:
        return cls(id=CALENDAR_ID)

    def add_day_off(
        self, day: date, actor: Actor, reason: str, key: str, base: WorkingCalendar
    ) -> bool:
        """Give ``day`` off (a weekday that is a working day on ``base``); False: done before."""
        if key in self.keys:
            return False
        if day.weekday() >= 5 or not self.calendar(base).is_working_day(day):
            raise InvalidInput(
                "{day} is not a working day: it cannot be given off", day=day.isoformat()
            )
        self._day_off(day.isoformat(), actor.id, actor.role, _reason(reason), key)
        return True

    def add_working_saturday(
        self, day: date, actor: Actor, reason: str, key: str, base: WorkingCalendar
    ) -> bool:
        """Make ``day`` (a Saturday) a working day; False: done before."""
        if key in self.keys:
            return False
        if day.weekday() != 5:
            raise InvalidInput("{day} is not a Saturday", day=day.isoformat())
        if self.calendar(base).is_working_day(day):
            raise InvalidInput("{day} is a working day already", day=day.isoformat())
        self._working_saturday(day.isoformat(), actor.id, actor.role, _reason(reason), key)
        return True

    def calendar(self, base: WorkingCalendar) -> WorkingCalendar:
        """``base`` with the days recorded here."""
        return base.with_days(
            frozenset(d.day for d in self.days if not d.working),
            frozenset(d.day for d in self.days if d.working),
        )

    @event(DayOffAdded)
    def _day_off(self, day: str, actor_id: str, actor_role: str, reason: str, key: str) -> None:
        self.days.append(CalendarDay(date.fromisoformat(day), False, reason, actor_id))
        self.keys.append(key)

    @event(WorkingSaturdayAdded)
    def _working_saturday(
        self, day: str, actor_id: str, actor_role: str, reason: str, key: str
    ) -> None:
        self.days.append(CalendarDay(date.fromisoformat(day), True, reason, actor_id))
        self.keys.append(key)


def _reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidInput("a reason is required to change the working calendar")
    return reason.strip()
