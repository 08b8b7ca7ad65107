"""The numbers a proposal's process runs by: the ballot rules and step deadlines of the rulebook
version the proposal was lodged under, its working days turned into the workflow's timers on
the stored working calendar. Settings may override a deadline (tests and drills use fractions
of a day); an override counts calendar days, whatever the version says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from domain.kernel.calendar import today
from domain.proposal.aggregate import Proposal
from domain.proposal.rules import Deadlines
from domain.rulebook.version import ProposalStep, RulebookVersion
from domain.voting.ballot import BallotRule
from services.application.rulebook import Rulebook
from services.application.working_calendar import WorkingCalendars, timer_days


@dataclass(frozen=True)
class DeadlineOverrides:
    """Calendar days that replace the version's deadline of a step; None keeps the version's."""

    cluster_vote_days: float | None = None
    appraisal_days: float | None = None
    council_vote_days: float | None = None
    external_outcome_days: float | None = None


@dataclass(frozen=True)
class Terms:
    version: str  # the rulebook version's code
    deadlines: Deadlines
    cluster_rule: BallotRule
    council_rule: BallotRule


class ProcessTerms:
    def __init__(
        self,
        rulebook: Rulebook,
        calendars: WorkingCalendars,
        overrides: DeadlineOverrides | None = None,
    ) -> None:
        self.rulebook = rulebook
        self._calendars = calendars
        self._overrides = overrides or DeadlineOverrides()

    def version_for(self, code: str | None, lodged: date | None) -> RulebookVersion:
        """The version recorded with the proposal; else the one in force on the day it was
        lodged (a proposal recorded before versions were, or a caller that has no code)."""
        if code:
            return self.rulebook.version(code)
        return self.rulebook.in_force(lodged or today())

    def terms(self, form: str, cluster_vote: bool, version: RulebookVersion, start: date) -> Terms:
        """The rules and timers of a process that starts on ``start``. Each step's working
        days are counted from the day the steps before it are due at the latest."""
        calendar = self._calendars.calendar()
        days: dict[str, float] = {}
        opens = start
        steps = (
            ("cluster_vote_days", ProposalStep.CLUSTER_VOTE, cluster_vote),
            ("appraisal_days", ProposalStep.APPRAISAL, True),
            ("council_vote_days", ProposalStep.COUNCIL_VOTE, True),
            # Counted from the council's deadline: the wait for a state body's outcome
            # begins once the proposal is forwarded after the council.
            ("external_outcome_days", ProposalStep.EXTERNAL_OUTCOME, False),
        )
        for name, step, taken in steps:
            override = getattr(self._overrides, name)
            working = version.deadlines_proposal[step].working_days
            days[name] = override if override is not None else timer_days(calendar, opens, working)
            if taken:
                opens += timedelta(days=days[name])
        return Terms(
            version=version.code,
            deadlines=Deadlines(**days),
            cluster_rule=version.ballot_rule("cluster", form),
            council_rule=version.ballot_rule("council", form),
        )


def recorded_version(proposal: Proposal) -> tuple[str | None, date]:
    """The rulebook version a proposal records (in its Nominated event; an old event is upcast
    to the version in force on its day), and the day it was created."""
    return proposal.rulebook_version, today(proposal.created_on)
