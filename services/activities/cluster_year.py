"""Temporal activities of the cluster year: the only place its workflow touches the store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.cluster_year.aggregate import ClusterYear
from domain.kernel.calendar import DEFAULT_CALENDAR, VIETNAM, WorkingCalendar
from domain.kernel.errors import DomainError
from domain.rulebook.version import ConferenceRules
from infra.trustee_keys import Custody
from services.application.cluster_year_steps import YearNotFound, apply_year
from services.application.list_voting import service_shares
from workflows.cluster_year_messages import (
    YEAR_STEP,
    YEAR_TIMERS,
    TimerQuery,
    Timers,
    YearOutcome,
    YearStepInput,
)


def timers_for(query: TimerQuery, calendar: WorkingCalendar = DEFAULT_CALENDAR) -> Timers:
    """A stage's reminder, deadline and escalation on Vietnam's working calendar (the stored
    one in the worker): each falls at the end of its working day (23:59 in Vietnam)."""
    start = query.start.astimezone(VIETNAM).date()
    days, rule = query.deadline.working_days, query.deadline

    def at(count: int) -> datetime:
        day = calendar.add_working_days(start, max(count, 0))
        return datetime.combine(day, time(23, 59), VIETNAM)

    return Timers(
        step=query.step,
        remind_at=at(days - rule.remind_before),
        due_at=at(days),
        escalate_at=at(days + rule.escalate_after),
    )


class YearActivities:
    def __init__(
        self,
        app: Application[UUID],
        custody: Custody,
        rules: Callable[[str], ConferenceRules],
        calendar: Callable[[], WorkingCalendar] = lambda: DEFAULT_CALENDAR,
    ) -> None:
        self._app = app
        self._custody = custody
        self._rules = rules
        self._calendar = calendar

    @activity.defn(name=YEAR_STEP)
    def year_step(self, step: YearStepInput) -> YearOutcome:
        try:
            year = apply_year(self._app, UUID(step.year_id), step.commands, self)
        except (DomainError, YearNotFound) as error:
            code = getattr(error, "code", "not-found")
            details = {"message": error.message.to_json()} if isinstance(error, DomainError) else {}
            raise ApplicationError(str(error), details, type=code, non_retryable=True) from None
        return YearOutcome(
            stage=year.stage,
            electorate=[] if year.vote is None else list(year.vote.electorate),
            lines=year.line_ids,
            election_key=year.election_key,
            context="" if year.vote is None else year.vote.context,
        )

    @activity.defn(name=YEAR_TIMERS)
    def year_timers(self, query: TimerQuery) -> Timers:
        return timers_for(query, self._calendar())

    # ---- what steps need beyond the year (YearServices) ---------------------------------

    def conference_rules(self, rulebook_version: str) -> ConferenceRules:
        return self._rules(rulebook_version)

    def election_key(self) -> dict[str, Any]:
        return self._custody.key.to_json()

    def service_shares(self, year: ClusterYear) -> list[dict[str, Any]]:
        """Decryption shares of the sealed box's line totals from the key shares this service
        holds (none when the trustees hold them all)."""
        return service_shares(year.box_of_votes(), self._custody)

    def all(self) -> list[Callable[..., Any]]:
        return [self.year_step, self.year_timers]
