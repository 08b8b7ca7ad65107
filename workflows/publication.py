"""The proposal workflow's publication steps (mixed into ProposalWorkflow): publish an appraised
nominee, wait out its feedback window on a durable timer, then open the council's vote; a
complaint upheld in the window rejects the nominee."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.kernel.actor import Actor, Role
    from domain.kernel.calendar import VIETNAM
    from domain.proposal.commands import Command, Publish, UpholdComplaint
    from domain.proposal.lifecycle import Step
    from domain.proposal.states import State, VoteStage
    from workflows.messages import ComplaintRequest, PublishRequest, StepOutcome, StepResult

# After the window's end, a council vote the store refuses (its clock behind the timer's) is
# tried again this much later.
RETRY_OPENING = timedelta(hours=1)


def window_closes(window_end: str) -> datetime:
    """The moment the window has ended: midnight in Vietnam after its last day."""
    day = date.fromisoformat(window_end) + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=VIETNAM)


class PublicationSteps:
    """Reads and moves ProposalWorkflow's stage through its own methods."""

    _stage: str
    _epoch: int
    _window_closes: datetime | None
    _by_session: bool
    _lock: asyncio.Lock

    def _check(self, step: Step, reason: str | None = None) -> None:
        raise NotImplementedError  # ProposalGuards'

    def _key(self, suffix: str = "") -> str:
        raise NotImplementedError  # ProposalWorkflow's

    def _set_stage(self, stage: str, deadline: datetime | None) -> None:
        raise NotImplementedError  # ProposalWorkflow's

    async def _take(self, commands: list[Command]) -> StepOutcome:
        raise NotImplementedError  # ProposalWorkflow's

    async def _open(
        self, commands: list[Command], vote: VoteStage, key: str, today: str | None = None
    ) -> None:
        raise NotImplementedError  # ProposalWorkflow's

    @workflow.update
    async def publish(self, request: PublishRequest) -> StepResult:
        async with self._lock:
            self._validate_publish(request)
            command = Publish(
                actor=Actor(request.actor_id, Role(request.actor_role)),
                key=self._key(),
                published_on=request.published_on,
                window_end=request.window_end,
                working_days=request.working_days,
                where=request.where,
                today=request.today,
            )
            state = (await self._take([command])).state
            self._window_closes = window_closes(request.window_end)
            self._set_stage(state, self._window_closes)
            return StepResult(self._stage, f"published for feedback until {request.window_end}")

    @publish.validator
    def _validate_publish(self, request: PublishRequest) -> None:
        self._check(Step.PUBLISH)

    @workflow.update
    async def uphold_complaint(self, request: ComplaintRequest) -> StepResult:
        async with self._lock:
            self._validate_uphold_complaint(request)
            command = UpholdComplaint(
                actor=Actor(request.actor_id, Role(request.actor_role)),
                key=self._key(),
                complaint_id=request.complaint_id,
                reason=request.reason,
            )
            self._set_stage((await self._take([command])).state, None)
            return StepResult(self._stage, "complaint upheld: the nominee is rejected")

    @uphold_complaint.validator
    def _validate_uphold_complaint(self, request: ComplaintRequest) -> None:
        self._check(Step.UPHOLD_COMPLAINT, request.reason)

    async def _window_ended(self) -> None:
        """The feedback window is over: the council's vote opens (the store checks the day),
        or, for a proposal the council takes in a session, it waits for the session."""
        if self._by_session:
            self._set_stage(State.PUBLISHED, None)
            return
        day = workflow.now().astimezone(VIETNAM).date().isoformat()
        try:
            await self._open([], VoteStage.COUNCIL, f"window:{self._epoch}:council-vote", day)
        except ApplicationError:
            self._set_stage(State.PUBLISHED, workflow.now() + RETRY_OPENING)
