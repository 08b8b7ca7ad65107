"""ProposalWorkflow: one proposal through cluster vote, appraisal, council vote and decision."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.ballot import BallotRule, Choice, check_ballot
    from domain.decision import parse_decision_number
    from domain.errors import DomainError, IllegalTransition, InvalidInput
    from domain.states import TERMINAL, DecisionOutcome, State, VoteStage
    from workflows.steps import (
        AppraisalRequest,
        BallotRequest,
        DecisionRequest,
        ElectorateQuery,
        ProcessView,
        ProposalInput,
        StepCommand,
        StepRequest,
        StepResult,
    )

APPLY_STEP = "apply_step"
FIND_ELECTORATE = "find_electorate"
# Writes retry until the store answers; domain refusals are raised as non-retryable errors.
_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=30)
)
_VOTE_STATE = {VoteStage.CLUSTER: State.CLUSTER_VOTING, VoteStage.COUNCIL: State.COUNCIL_VOTING}
_DEADLINE_STEP = {
    State.CLUSTER_VOTING: "cluster_vote",
    State.APPRAISAL: "appraisal",
    State.COUNCIL_VOTING: "council_vote",
}


def _refusal(error: DomainError, stage: str) -> ApplicationError:
    return ApplicationError(str(error), {"state": stage}, type=error.code, non_retryable=True)


@workflow.defn
class ProposalWorkflow:
    # The input arrives in __init__ so that an update delivered in the very first workflow
    # task (before run() has started) already knows which proposal it belongs to.
    @workflow.init
    def __init__(self, proposal: ProposalInput) -> None:
        self._proposal = proposal
        self._stage: str = State.DRAFT.value
        self._deadline: datetime | None = None
        self._held_from: str | None = None
        self._held_remaining: timedelta | None = None
        self._electorate: dict[str, list[str]] = {}
        self._voted: dict[str, list[str]] = {}
        # Ballots are kept as (receipt hash, choice), never with the voter: the history carries
        # them encrypted by the payload codec, and the event store only who voted.
        self._box: dict[str, list[dict[str, str]]] = {}
        self._epoch = 0
        self._lock = asyncio.Lock()

    # ---- the process ---------------------------------------------------------------------

    @workflow.run
    async def run(self, proposal: ProposalInput) -> str:
        while self._stage not in TERMINAL:
            epoch = self._epoch
            changed = self._changed_since(epoch)
            if self._deadline is None:
                await workflow.wait_condition(changed)
                continue
            remaining = self._deadline - workflow.now()
            try:
                if remaining > timedelta(0):
                    await workflow.wait_condition(changed, timeout=remaining)
                    continue
            except TimeoutError:
                pass
            async with self._lock:
                if self._epoch == epoch:
                    await self._deadline_passed()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._stage

    def _changed_since(self, epoch: int) -> Callable[[], bool]:
        return lambda: self._epoch != epoch

    async def _deadline_passed(self) -> None:
        stage = State(self._stage)
        deadline = self._deadline
        assert deadline is not None
        await self._write(
            "miss_deadline",
            f"deadline:{stage}:{self._epoch}",
            {"step": _DEADLINE_STEP[stage], "deadline": deadline.isoformat()},
        )
        if stage == State.APPRAISAL:
            # Escalation without closing: the appraisal stays open, flagged overdue.
            self._set_stage(stage, None)
            return
        vote = VoteStage.CLUSTER if stage == State.CLUSTER_VOTING else VoteStage.COUNCIL
        await self._close_vote(vote, f"deadline:{stage}:close", "deadline passed")

    def _set_stage(self, stage: str, deadline: datetime | None) -> None:
        self._stage = State(stage).value
        self._deadline = deadline
        self._epoch += 1

    def _after(self, days: float) -> datetime:
        return workflow.now() + timedelta(days=days)

    async def _write(
        self,
        action: str,
        key: str,
        args: dict[str, Any] | None = None,
        actor_id: str = "system",
        actor_role: str = "system",
    ) -> str:
        command = StepCommand(
            self._proposal.proposal_id, key, action, actor_id, actor_role, args or {}
        )
        try:
            result: StepResult = await workflow.execute_activity(
                APPLY_STEP,
                command,
                result_type=StepResult,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=_RETRY,
            )
        except ActivityError as error:
            cause = error.cause
            if isinstance(cause, ApplicationError):
                raise ApplicationError(
                    cause.message, {"state": self._stage}, type=cause.type, non_retryable=True
                ) from None
            raise
        return result.state

    async def _open_vote(self, vote: VoteStage, key: str) -> None:
        rule = self._rule(vote)
        electorate: list[str] = await workflow.execute_activity(
            FIND_ELECTORATE,
            ElectorateQuery(self._proposal.proposal_id, vote.value, rule),
            result_type=list[str],
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=_RETRY,
        )
        days = (
            self._proposal.deadlines.cluster_vote_days
            if vote == VoteStage.CLUSTER
            else self._proposal.deadlines.council_vote_days
        )
        deadline = self._after(days)
        await self._write(
            "open_vote",
            key,
            {
                "stage": vote.value,
                "electorate": electorate,
                "deadline": deadline.isoformat(),
                "rule": {
                    "quorum": rule.quorum,
                    "threshold": rule.threshold,
                    "comparison": rule.comparison,
                    "base": rule.base,
                    "tie": rule.tie,
                },
            },
        )
        self._electorate[vote.value] = electorate
        self._voted[vote.value] = []
        self._box[vote.value] = []
        self._set_stage(_VOTE_STATE[vote], deadline)
        if not electorate:
            await self._close_vote(vote, f"{key}:close", "no member may vote")

    async def _close_vote(self, vote: VoteStage, key: str, reason: str) -> None:
        # The box leaves the workflow sorted by receipt: nothing in it follows the order of voting.
        box = sorted(self._box[vote.value], key=lambda entry: entry["receipt"])
        args = {
            "stage": vote.value,
            "box": box,
            "reason": reason,
            "closed_at": workflow.now().isoformat(),
        }
        state = await self._write("close_vote", key, args)
        self._set_stage(state, None)
        if vote == VoteStage.CLUSTER and state == State.CLUSTER_APPROVED:
            await self._open_appraisal(f"{key}:appraisal")

    async def _open_appraisal(self, key: str) -> None:
        deadline = self._after(self._proposal.deadlines.appraisal_days)
        state = await self._write("open_appraisal", key, {"deadline": deadline.isoformat()})
        self._set_stage(state, deadline)

    def _rule(self, vote: VoteStage) -> BallotRule:
        if vote == VoteStage.CLUSTER:
            return self._proposal.cluster_rule
        return self._proposal.council_rule

    def _key(self, suffix: str = "") -> str:
        info = workflow.current_update_info()
        base = info.id if info else str(workflow.uuid4())
        return f"{base}{suffix}"

    # ---- guards shared by validators and handlers ----------------------------------------

    def _expect(self, step: str, *states: State) -> None:
        if self._stage not in states:
            hint = f"the proposal is {self._stage}"
            if self._stage == State.ON_HOLD:
                hint += " until released"
            raise _refusal(IllegalTransition(self._stage, step, hint), self._stage)

    def _check_ballot(self, vote: VoteStage, request: BallotRequest) -> None:
        self._expect(f"vote in the {vote} vote on", _VOTE_STATE[vote])
        try:
            Choice(request.choice)
        except ValueError:
            raise _refusal(InvalidInput("choice must be yes, no or abstain"), self._stage) from None
        receipts = {entry["receipt"] for entry in self._box[vote.value]}
        if len(request.receipt) != 64 or request.receipt in receipts:
            raise _refusal(InvalidInput("each ballot needs a fresh receipt"), self._stage)
        try:
            check_ballot(request.voter, self._electorate[vote.value], self._voted[vote.value])
        except DomainError as error:
            raise _refusal(error, self._stage) from None

    def _check_decision(self, request: DecisionRequest) -> None:
        self._expect("decide", State.COUNCIL_APPROVED)
        try:
            parse_decision_number(request.number)
            DecisionOutcome(request.outcome)
            date.fromisoformat(request.decided_on)
        except DomainError as error:
            raise _refusal(error, self._stage) from None
        except ValueError as error:
            raise _refusal(InvalidInput(str(error)), self._stage) from None

    # ---- human steps (workflow updates) --------------------------------------------------

    @workflow.update
    async def submit(self, request: StepRequest) -> StepResult:
        async with self._lock:
            self._expect("submit", State.DRAFT, State.RETURNED)
            key = self._key()
            action = "resubmit" if self._stage == State.RETURNED else "submit"
            await self._write(
                action, key, {"comment": request.comment}, request.actor_id, request.actor_role
            )
            self._set_stage(State.SUBMITTED, None)
            cluster_done = VoteStage.CLUSTER.value in self._electorate
            if self._proposal.cluster_vote and not cluster_done:
                await self._open_vote(VoteStage.CLUSTER, f"{key}:cluster-vote")
            else:
                await self._open_appraisal(f"{key}:appraisal")
            return StepResult(self._stage, f"{action} accepted")

    @submit.validator
    def _validate_submit(self, request: StepRequest) -> None:
        self._expect("submit", State.DRAFT, State.RETURNED)

    @workflow.update
    async def cluster_vote(self, request: BallotRequest) -> StepResult:
        return await self._cast(VoteStage.CLUSTER, request)

    @cluster_vote.validator
    def _validate_cluster_vote(self, request: BallotRequest) -> None:
        self._check_ballot(VoteStage.CLUSTER, request)

    @workflow.update
    async def council_vote(self, request: BallotRequest) -> StepResult:
        return await self._cast(VoteStage.COUNCIL, request)

    @council_vote.validator
    def _validate_council_vote(self, request: BallotRequest) -> None:
        self._check_ballot(VoteStage.COUNCIL, request)

    async def _cast(self, vote: VoteStage, request: BallotRequest) -> StepResult:
        async with self._lock:
            self._check_ballot(vote, request)
            key = self._key()
            await self._write(
                "record_ballot",
                key,
                {"stage": vote.value, "voter": request.voter},
                request.actor_id,
                request.actor_role,
            )
            self._voted[vote.value].append(request.voter)
            self._box[vote.value].append({"receipt": request.receipt, "choice": request.choice})
            if len(self._voted[vote.value]) == len(self._electorate[vote.value]):
                await self._close_vote(vote, f"{key}:close", "every member voted")
            return StepResult(self._stage, "ballot counted")

    @workflow.update
    async def appraisal(self, request: AppraisalRequest) -> StepResult:
        async with self._lock:
            self._validate_appraisal(request)
            key = self._key()
            if request.action == "return":
                state = await self._write(
                    "return", key, {"reason": request.reason}, request.actor_id, request.actor_role
                )
                self._set_stage(state, None)
                return StepResult(self._stage, "returned to the proposer")
            await self._write(
                "approve_appraisal",
                key,
                {"comment": request.reason},
                request.actor_id,
                request.actor_role,
            )
            self._set_stage(State.APPRAISED, None)
            await self._open_vote(VoteStage.COUNCIL, f"{key}:council-vote")
            return StepResult(self._stage, "sent to the council vote")

    @appraisal.validator
    def _validate_appraisal(self, request: AppraisalRequest) -> None:
        self._expect("appraise", State.APPRAISAL)
        if request.action not in ("approve", "return"):
            raise _refusal(InvalidInput("action must be approve or return"), self._stage)
        if request.action == "return" and not request.reason.strip():
            raise _refusal(InvalidInput("a reason is required to return a dossier"), self._stage)

    @workflow.update
    async def decision(self, request: DecisionRequest) -> StepResult:
        async with self._lock:
            self._check_decision(request)
            state = await self._write(
                "decide",
                self._key(),
                {
                    "outcome": request.outcome,
                    "number": request.number,
                    "decided_on": request.decided_on,
                    "reason": request.reason,
                },
                request.actor_id,
                request.actor_role,
            )
            self._set_stage(state, None)
            return StepResult(self._stage, f"decision {request.number} recorded")

    @decision.validator
    def _validate_decision(self, request: DecisionRequest) -> None:
        self._check_decision(request)

    @workflow.update
    async def withdraw(self, request: StepRequest) -> StepResult:
        async with self._lock:
            self._validate_withdraw(request)
            state = await self._write(
                "withdraw",
                self._key(),
                {"reason": request.comment},
                request.actor_id,
                request.actor_role,
            )
            self._set_stage(state, None)
            return StepResult(self._stage, "withdrawn")

    @withdraw.validator
    def _validate_withdraw(self, request: StepRequest) -> None:
        if self._stage in TERMINAL:
            raise _refusal(IllegalTransition(self._stage, "withdraw"), self._stage)

    @workflow.update
    async def hold(self, request: StepRequest) -> StepResult:
        async with self._lock:
            self._validate_hold(request)
            await self._write(
                "hold",
                self._key(),
                {"reason": request.comment},
                request.actor_id,
                request.actor_role,
            )
            # The clock of a timed step stops while the proposal is on hold.
            self._held_remaining = (self._deadline - workflow.now()) if self._deadline else None
            self._held_from = self._stage
            self._set_stage(State.ON_HOLD, None)
            return StepResult(self._stage, "on hold")

    @hold.validator
    def _validate_hold(self, request: StepRequest) -> None:
        if self._stage in TERMINAL or self._stage in (State.ON_HOLD, State.DRAFT):
            raise _refusal(IllegalTransition(self._stage, "put on hold"), self._stage)
        if not request.comment.strip():
            raise _refusal(
                InvalidInput("a reason is required to put a proposal on hold"), self._stage
            )

    @workflow.update
    async def release(self, request: StepRequest) -> StepResult:
        async with self._lock:
            self._expect("release", State.ON_HOLD)
            state = await self._write(
                "release",
                self._key(),
                {"reason": request.comment},
                request.actor_id,
                request.actor_role,
            )
            remaining = self._held_remaining
            self._held_from = None
            self._set_stage(state, workflow.now() + remaining if remaining is not None else None)
            return StepResult(self._stage, "released")

    @release.validator
    def _validate_release(self, request: StepRequest) -> None:
        self._expect("release", State.ON_HOLD)

    @workflow.query
    def process(self) -> ProcessView:
        voting = {State.CLUSTER_VOTING.value: "cluster", State.COUNCIL_VOTING.value: "council"}
        stage = voting.get(self._stage)
        return ProcessView(
            stage=self._stage,
            deadline=self._deadline.isoformat() if self._deadline else None,
            held_from=self._held_from,
            voted=list(self._voted.get(stage, [])) if stage else [],
        )
