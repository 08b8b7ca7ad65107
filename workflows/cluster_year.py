"""ClusterYearWorkflow: one cluster's (or block's) emulation year, from launch to the election.

Each person's step is a workflow update validated by the domain's stage table; one activity
writes its events (idempotent by the update's id). Every stage has a deadline in working days
from the rulebook (turned into instants by an activity, so the workflow stays deterministic),
a reminder before it and an escalation after it, both written as events. The run continues as
new after ``max_updates`` updates, or when Temporal suggests it, carrying its whole state.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.cluster_year.commands import (
        CloseConference,
        Escalate,
        Launch,
        RecordBallot,
        Remind,
        YearCommand,
    )
    from domain.cluster_year.conference import Line, own_lines
    from domain.cluster_year.stages import DEADLINE_OF, Action, Stage, check_step
    from domain.kernel.actor import SYSTEM, Actor
    from domain.kernel.errors import DomainError, InvalidInput
    from domain.rulebook.version import YearStep
    from domain.voting.ballot import check_ballot
    from domain.voting.election_key import ElectionKey
    from domain.voting.list_ballot import check_list, list_tracker_of
    from workflows.cluster_year_messages import (
        YEAR_STEP,
        YEAR_TIMERS,
        CloseRequest,
        LaunchRequest,
        TimerQuery,
        Timers,
        YearBallot,
        YearCarry,
        YearOutcome,
        YearRequest,
        YearResult,
        YearStepInput,
        YearView,
    )
    from workflows.guards import refusal

RETRY = RetryPolicy(maximum_attempts=5)


@workflow.defn
class ClusterYearWorkflow:
    @workflow.init
    def __init__(self, carry: YearCarry) -> None:
        self._s = carry
        self._lock = asyncio.Lock()
        self._handled = 0

    @workflow.run
    async def run(self, carry: YearCarry) -> str:
        while self._s.stage != Stage.CLOSED:
            if self._handled >= self._s.input.max_updates or (
                workflow.info().is_continue_as_new_suggested()
            ):
                await workflow.wait_condition(workflow.all_handlers_finished)
                self._s.runs += 1
                workflow.continue_as_new(self._s)
            epoch, handled = self._s.epoch, self._handled
            alarm = self._next_alarm()

            def changed() -> bool:
                return self._s.epoch != epoch or self._handled != handled  # noqa: B023

            if alarm is None:
                await workflow.wait_condition(changed)
                continue
            try:
                wait = max(alarm - workflow.now(), timedelta(0))
                await workflow.wait_condition(changed, timeout=wait)
                continue
            except TimeoutError:
                pass
            async with self._lock:
                if self._s.epoch == epoch:
                    await self._alarm()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._s.stage

    # ---- deadlines -----------------------------------------------------------------------

    def _next_alarm(self) -> datetime | None:
        timers = self._s.timers
        if timers is None or timers.escalated:
            return None
        return timers.escalate_at if timers.reminded else timers.remind_at

    async def _alarm(self) -> None:
        timers = self._s.timers
        assert timers is not None and self._s.stage is not None
        base = f"{self._s.stage}:{self._s.epoch}"
        if not timers.reminded:
            await self._write(
                [
                    Remind(
                        actor=SYSTEM, key=f"remind:{base}", step=timers.step, deadline=timers.due_at
                    )
                ]
            )
            timers.reminded = True
        else:
            await self._write(
                [
                    Escalate(
                        actor=SYSTEM,
                        key=f"escalate:{base}",
                        step=timers.step,
                        deadline=timers.due_at,
                    )
                ]
            )
            timers.escalated = True

    async def _enter(self, stage: str) -> None:
        """A new stage: its deadline from the rulebook, on Vietnam's working calendar."""
        self._s.stage = stage
        self._s.epoch += 1
        step = DEADLINE_OF.get(Stage(stage))
        deadline = self._s.input.deadlines.get(step.value) if step else None
        if step is None or deadline is None:
            self._s.timers = None
            return
        self._s.timers = await workflow.execute_activity(
            YEAR_TIMERS,
            TimerQuery(workflow.now(), YearStep(step).value, deadline),
            result_type=Timers,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RETRY,
        )

    # ---- one activity per step -------------------------------------------------------------

    async def _write(self, commands: list[Launch | YearCommand]) -> YearOutcome:
        try:
            outcome: YearOutcome = await workflow.execute_activity(
                YEAR_STEP,
                YearStepInput(self._s.input.year_id, commands),
                result_type=YearOutcome,
                start_to_close_timeout=timedelta(seconds=60),
                retry_policy=RETRY,
            )
        except ActivityError as error:
            cause = error.cause
            if isinstance(cause, ApplicationError):
                details = cause.details[0] if cause.details else {}
                raise ApplicationError(
                    cause.message,
                    {**(details if isinstance(details, dict) else {}), "state": self._s.stage},
                    type=cause.type,
                    non_retryable=True,
                ) from None
            raise
        return outcome

    async def _apply(self, commands: list[Launch | YearCommand]) -> YearResult:
        outcome = await self._write(commands)
        self._s.electorate = outcome.electorate
        self._s.lines = outcome.lines
        self._s.election_key = outcome.election_key
        self._s.context = outcome.context
        if outcome.stage != self._s.stage:
            await self._enter(outcome.stage)
        self._handled += 1  # last: the run loop wakes to the new stage's timers
        return YearResult(self._s.stage or "", "step recorded")

    def _key(self) -> str:
        info = workflow.current_update_info()
        return info.id if info else str(workflow.uuid4())

    # ---- updates ---------------------------------------------------------------------------

    @workflow.update
    async def launch(self, request: LaunchRequest) -> YearResult:
        async with self._lock:
            self._validate_launch(request)
            return await self._apply([request.command])

    @launch.validator
    def _validate_launch(self, request: LaunchRequest) -> None:
        if self._s.stage is not None:
            raise refusal(DomainError("this cluster year is launched already"), self._s.stage)

    @workflow.update
    async def step(self, request: YearRequest) -> YearResult:
        async with self._lock:
            self._validate_step(request)
            return await self._apply([request.command])

    @step.validator
    def _validate_step(self, request: YearRequest) -> None:
        self._check(request.command.action)

    def _check(self, action: Action) -> None:
        if self._s.stage is None:
            raise refusal(DomainError("this cluster year has not been launched"), "")
        try:
            check_step(self._s.stage, action)
        except DomainError as error:
            raise refusal(error, self._s.stage) from None

    @workflow.update
    async def cast(self, request: YearBallot) -> YearResult:
        async with self._lock:
            self._check_ballot(request, proofs=False)
            actor = Actor(request.actor_id, request.actor_role)
            recorded = RecordBallot(actor=actor, key=self._key(), voter=request.voter)
            await self._apply([recorded])
            self._s.voted.append(request.voter)
            self._s.box.append({"receipt": request.receipt, "ballot": request.ballot})
            if len(self._s.voted) == len(self._s.electorate):  # the last ballot closes the box
                await self._close(SYSTEM, f"{self._key()}:close", "every member voted")
            return YearResult(
                self._s.stage or "", "ballot recorded", list_tracker_of(request.ballot)
            )

    @cast.validator
    def _validate_cast(self, request: YearBallot) -> None:
        self._check_ballot(request, proofs=True)

    def _check_ballot(self, request: YearBallot, proofs: bool) -> None:
        """The proofs are checked when the update is accepted (not again on replay)."""
        self._check(Action.CAST)
        stage = self._s.stage or ""
        receipts = {entry["receipt"] for entry in self._s.box}
        if len(request.receipt) != 64 or request.receipt in receipts:
            raise refusal(InvalidInput("each ballot needs a fresh receipt"), stage)
        try:
            check_ballot(request.voter, self._s.electorate, self._s.voted)
            if proofs and self._s.election_key is not None:
                lines = [Line.parse(line) for line in self._s.lines]
                own = own_lines(request.voter, lines)
                key = ElectionKey.from_json(self._s.election_key)
                check_list(request.ballot, self._s.lines, own, key, self._s.context)
        except DomainError as error:
            raise refusal(error, stage) from None

    @workflow.update
    async def close(self, request: CloseRequest) -> YearResult:
        async with self._lock:
            self._check(Action.CLOSE_CONFERENCE)
            actor = Actor(request.actor_id, request.actor_role)
            await self._close(actor, self._key(), request.reason or "closed by the chair")
            return YearResult(self._s.stage or "", "the ballot box is sealed")

    @close.validator
    def _validate_close(self, request: CloseRequest) -> None:
        self._check(Action.CLOSE_CONFERENCE)

    async def _close(self, actor: Actor, key: str, reason: str) -> None:
        box = sorted(self._s.box, key=lambda entry: entry["receipt"])
        closing = CloseConference(
            actor=actor, key=key, box=box, reason=reason, closed_at=workflow.now()
        )
        await self._apply([closing])
        self._s.box = []  # sealed into the store: the workflow no longer carries it

    @workflow.query
    def view(self) -> YearView:
        timers = self._s.timers
        return YearView(
            stage=self._s.stage,
            step=timers.step if timers else None,
            deadline=timers.due_at.isoformat() if timers else None,
            voted=list(self._s.voted),
            runs=self._s.runs,
        )
