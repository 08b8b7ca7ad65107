"""CouncilSessionWorkflow: one council session, from its agenda to each line's result.

Each step is a workflow update validated by the domain's stage table; one activity writes its
events (idempotent by the update's id). Each member's list ballot arrives once, as one payload
sealed under the election key; the workflow keeps the sealed ballots under receipt hashes and,
at closing, hands the box to the store sorted by receipt, in parts small enough for one
Temporal payload. Once counted, each proposal's workflow receives its line's result.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.kernel.actor import SYSTEM, Actor
    from domain.kernel.errors import DomainError, InvalidInput
    from domain.session.commands import Convene, RecordBallot, Seal, SealPart, SessionCommand
    from domain.session.stages import Action, Stage, check_step
    from domain.voting.ballot import check_ballot
    from domain.voting.election_key import ElectionKey
    from domain.voting.list_ballot import check_list, list_tracker_of
    from workflows.council_session_messages import (
        SESSION_RESULTS,
        SESSION_STEP,
        CloseRequest,
        ConveneRequest,
        SessionAnswer,
        SessionBallot,
        SessionCarry,
        SessionOutcome,
        SessionRequest,
        SessionResults,
        SessionStepInput,
        SessionView,
    )
    from workflows.guards import refusal

RETRY = RetryPolicy(maximum_attempts=5)
PART_BYTES = 1_000_000  # a part of the sealed box: well under Temporal's 2 MB per payload
_DONE = (Stage.CLOSED, Stage.ADJOURNED)


def box_parts(
    box: list[dict[str, object]], limit: int = PART_BYTES
) -> list[list[dict[str, object]]]:
    """The box sorted by receipt, cut into parts of at most `limit` bytes of JSON (one ballot
    a part at least); the order says nothing about the order of voting."""
    parts: list[list[dict[str, object]]] = [[]]
    size = 0
    for entry in sorted(box, key=lambda e: str(e["receipt"])):
        entry_size = len(json.dumps(entry, separators=(",", ":")))
        if parts[-1] and size + entry_size > limit:
            parts.append([])
            size = 0
        parts[-1].append(entry)
        size += entry_size
    return parts


@workflow.defn
class CouncilSessionWorkflow:
    @workflow.init
    def __init__(self, carry: SessionCarry) -> None:
        self._s = carry
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, carry: SessionCarry) -> str:
        await workflow.wait_condition(
            lambda: (
                self._s.stage in _DONE and (self._s.results_sent or self._s.stage != Stage.CLOSED)
            )
        )
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._s.stage or ""

    # ---- one activity per step -------------------------------------------------------------

    async def _write(self, commands: list[Convene | SessionCommand]) -> SessionOutcome:
        try:
            outcome: SessionOutcome = await workflow.execute_activity(
                SESSION_STEP,
                SessionStepInput(self._s.session_id, commands),
                result_type=SessionOutcome,
                start_to_close_timeout=timedelta(seconds=120),
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

    async def _apply(self, commands: list[Convene | SessionCommand]) -> SessionOutcome:
        outcome = await self._write(commands)
        s = self._s
        s.stage, s.electorate, s.own_lines = outcome.stage, outcome.electorate, outcome.own_lines
        s.written, s.lines = outcome.written, outcome.lines
        s.election_key, s.context = outcome.election_key, outcome.context
        if s.stage == Stage.CLOSED and not s.results_sent:
            await workflow.execute_activity(
                SESSION_RESULTS,
                SessionResults(s.session_id),
                start_to_close_timeout=timedelta(minutes=5),
                retry_policy=RETRY,
            )
            s.results_sent = True
        return outcome

    def _key(self) -> str:
        info = workflow.current_update_info()
        return info.id if info else str(workflow.uuid4())

    def _check(self, action: Action) -> None:
        if self._s.stage is None:
            raise refusal(DomainError("this session has not been convened"), "")
        try:
            check_step(self._s.stage, action)
        except DomainError as error:
            raise refusal(error, self._s.stage) from None

    # ---- updates ---------------------------------------------------------------------------

    @workflow.update
    async def convene(self, request: ConveneRequest) -> SessionAnswer:
        async with self._lock:
            self._validate_convene(request)
            await self._apply([request.command])
            return SessionAnswer(self._s.stage or "", "convened")

    @convene.validator
    def _validate_convene(self, request: ConveneRequest) -> None:
        if self._s.stage is not None:
            raise refusal(DomainError("this session is convened already"), self._s.stage)

    @workflow.update
    async def step(self, request: SessionRequest) -> SessionAnswer:
        async with self._lock:
            self._validate_step(request)
            outcome = await self._apply([request.command])
            if not outcome.quorum_met:
                return SessionAnswer(self._s.stage or "", "below quorum: recorded")
            return SessionAnswer(self._s.stage or "", "step recorded")

    @step.validator
    def _validate_step(self, request: SessionRequest) -> None:
        self._check(request.command.action)

    @workflow.update
    async def cast(self, request: SessionBallot) -> SessionAnswer:
        async with self._lock:
            self._check_ballot(request, proofs=False)
            actor = Actor(request.actor_id, request.actor_role)
            await self._apply([RecordBallot(actor=actor, key=self._key(), voter=request.voter)])
            tracker = list_tracker_of(request.ballot)
            s = self._s
            s.voted.append(request.voter)
            s.box.append({"receipt": request.receipt, "ballot": request.ballot})
            s.trackers.append(tracker)
            if s.stage == Stage.VOTING and len(s.voted) == len(s.electorate):
                await self._close(SYSTEM, f"{self._key()}:close", "every member voted")
            return SessionAnswer(s.stage or "", "ballot recorded", tracker)

    @cast.validator
    def _validate_cast(self, request: SessionBallot) -> None:
        self._check_ballot(request, proofs=True)

    def _check_ballot(self, request: SessionBallot, proofs: bool) -> None:
        """A written vote while the session is open, a present member's while voting; each
        member once; the proofs checked when the update is accepted (not on replay)."""
        s = self._s
        written = request.voter in s.written
        self._check(Action.WRITTEN_VOTE if written else Action.CAST)
        stage = s.stage or ""
        if len(request.receipt) != 64 or request.receipt in {e["receipt"] for e in s.box}:
            raise refusal(InvalidInput("each ballot needs a fresh receipt"), stage)
        try:
            check_ballot(request.voter, s.electorate, s.voted)
            if proofs and s.election_key is not None:
                key = ElectionKey.from_json(s.election_key)
                own = s.own_lines.get(request.voter, [])
                check_list(request.ballot, s.lines, own, key, s.context)
        except DomainError as error:
            raise refusal(error, stage) from None

    @workflow.update
    async def close(self, request: CloseRequest) -> SessionAnswer:
        async with self._lock:
            self._check(Action.CLOSE_VOTING)
            actor = Actor(request.actor_id, request.actor_role)
            await self._close(actor, self._key(), request.reason or "closed by the secretary")
            return SessionAnswer(self._s.stage or "", "the ballot box is sealed")

    @close.validator
    def _validate_close(self, request: CloseRequest) -> None:
        self._check(Action.CLOSE_VOTING)

    async def _close(self, actor: Actor, key: str, reason: str) -> None:
        *parts, last = box_parts(self._s.box)
        for n, part in enumerate(parts):
            await self._write([SealPart(actor=actor, key=f"{key}:part:{n}", box=part)])
        await self._apply(
            [Seal(actor=actor, key=key, box=last, reason=reason, closed_at=workflow.now())]
        )
        self._s.box = []  # sealed into the store: the workflow no longer carries it

    @workflow.query
    def view(self) -> SessionView:
        return SessionView(self._s.stage, list(self._s.voted), self._s.results_sent)
