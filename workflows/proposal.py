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
    from domain.ballot import BallotRule, check_ballot
    from domain.decision import parse_decision_number
    from domain.election_key import ElectionKey, PartialDecryption, check_partial
    from domain.elgamal import Ciphertext
    from domain.errors import DomainError, IllegalTransition, InvalidInput
    from domain.sealed_ballot import SealedBallot, check_sealed, count_context, totals
    from domain.sealed_ballot import context as ballot_context
    from domain.states import TERMINAL, DecisionOutcome, State, VoteStage
    from workflows.steps import (
        AppraisalRequest,
        BallotRequest,
        CountQuery,
        DecisionRequest,
        ElectorateQuery,
        ProcessView,
        ProposalInput,
        ShareRequest,
        StepCommand,
        StepRequest,
        StepResult,
    )

APPLY_STEP = "apply_step"
FIND_ELECTORATE = "find_electorate"
ELECTION_KEY = "election_key"
DECRYPT_COUNT = "decrypt_count"
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
    details = {"state": stage, "message": error.message.to_json()}  # translatable by the API
    return ApplicationError(str(error), details, type=error.code, non_retryable=True)


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
        # Ballots are sealed under the trustees' election key before they reach the workflow,
        # and kept as (receipt hash, sealed ballot): no one holding the service's keys can open
        # one. Only the totals are ever decrypted, by the trustees' shares.
        self._box: dict[str, list[dict[str, Any]]] = {}
        self._keys: dict[str, ElectionKey] = {}
        self._trackers: dict[str, set[str]] = {}
        self._totals: dict[str, list[Ciphertext]] = {}  # set once the box is sealed
        self._shares: dict[str, list[int]] = {}  # trustees who gave a decryption share
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
        election_key: dict[str, Any] = await workflow.execute_activity(
            ELECTION_KEY,
            result_type=dict[str, Any],
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=_RETRY,
        )
        await self._write(
            "open_vote",
            key,
            {
                "stage": vote.value,
                "electorate": electorate,
                "deadline": deadline.isoformat(),
                "election_key": election_key,
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
        self._keys[vote.value] = ElectionKey.from_json(election_key)
        self._trackers[vote.value] = set()
        self._totals.pop(vote.value, None)
        self._shares[vote.value] = []
        self._set_stage(_VOTE_STATE[vote], deadline)
        if not electorate:
            await self._close_vote(vote, f"{key}:close", "no member may vote")

    async def _close_vote(self, vote: VoteStage, key: str, reason: str) -> None:
        """Seal the box, collect the decryption shares the service holds, and close the vote
        if they are enough; otherwise the vote waits for the trustees' shares."""
        # The box leaves the workflow sorted by receipt: nothing in it follows the order of voting.
        box = sorted(self._box[vote.value], key=lambda entry: entry["receipt"])
        args = {
            "stage": vote.value,
            "box": box,
            "reason": reason,
            "closed_at": workflow.now().isoformat(),
        }
        await self._write("seal_box", key, args)
        self._totals[vote.value] = totals(SealedBallot.from_json(e["ballot"]) for e in box)
        self._set_stage(self._stage, None)  # counting has no deadline
        if box:
            shares: list[dict[str, Any]] = await workflow.execute_activity(
                DECRYPT_COUNT,
                CountQuery(self._proposal.proposal_id, vote.value),
                result_type=list[dict[str, Any]],
                start_to_close_timeout=timedelta(seconds=60),
                retry_policy=_RETRY,
            )
            for share in shares:
                await self._write(
                    "submit_share",
                    f"{key}:share:{share['trustee']}",
                    {"stage": vote.value, "share": share},
                )
                self._shares[vote.value].append(share["trustee"])
        await self._finish_count(vote, key)

    def _shares_missing(self, vote: VoteStage) -> int:
        if not self._box[vote.value]:
            return 0
        return max(0, self._keys[vote.value].threshold - len(self._shares[vote.value]))

    async def _finish_count(self, vote: VoteStage, key: str) -> None:
        if self._shares_missing(vote):
            return
        state = await self._write("close_vote", f"{key}:count", {"stage": vote.value})
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

    def _sealed(self, vote: VoteStage) -> bool:
        return vote.value in self._totals

    def _check_ballot(self, vote: VoteStage, request: BallotRequest, proofs: bool) -> SealedBallot:
        """Refuse a ballot that cannot be counted; answer it parsed. The proofs are checked
        when the update is accepted (validators do not run again on replay)."""
        self._expect(f"vote in the {vote} vote on", _VOTE_STATE[vote])
        if self._sealed(vote):
            raise _refusal(
                IllegalTransition(self._stage, "vote in", "the ballot box is sealed"), self._stage
            )
        receipts = {entry["receipt"] for entry in self._box[vote.value]}
        if len(request.receipt) != 64 or request.receipt in receipts:
            raise _refusal(InvalidInput("each ballot needs a fresh receipt"), self._stage)
        try:
            check_ballot(request.voter, self._electorate[vote.value], self._voted[vote.value])
            if proofs:
                key = self._keys[vote.value]
                context = ballot_context(self._proposal.proposal_id, vote.value, key)
                ballot = check_sealed(request.ballot, key, context)
            else:
                ballot = SealedBallot.from_json(request.ballot)
        except DomainError as error:
            raise _refusal(error, self._stage) from None
        if ballot.tracker in self._trackers[vote.value]:
            raise _refusal(InvalidInput("this sealed ballot was already cast"), self._stage)
        return ballot

    def _check_share(self, request: ShareRequest) -> tuple[VoteStage, PartialDecryption]:
        try:
            vote = VoteStage(request.stage)
        except ValueError:
            raise _refusal(InvalidInput("stage must be cluster or council"), self._stage) from None
        self._expect(f"count the {vote} vote on", _VOTE_STATE[vote])
        if not self._sealed(vote) or not self._shares_missing(vote):
            hint = "its ballot box is not sealed yet" if not self._sealed(vote) else "counted"
            raise _refusal(IllegalTransition(self._stage, "count", hint), self._stage)
        try:
            part = PartialDecryption.from_json(request.share)
            if part.trustee in self._shares[vote.value]:
                raise InvalidInput(f"trustee {part.trustee} has already given a share")
            key = self._keys[vote.value]
            context = ballot_context(self._proposal.proposal_id, vote.value, key)
            check_partial(key, self._totals[vote.value], part, count_context(context))
        except DomainError as error:
            raise _refusal(error, self._stage) from None
        return vote, part

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
        self._check_ballot(VoteStage.CLUSTER, request, proofs=True)

    @workflow.update
    async def council_vote(self, request: BallotRequest) -> StepResult:
        return await self._cast(VoteStage.COUNCIL, request)

    @council_vote.validator
    def _validate_council_vote(self, request: BallotRequest) -> None:
        self._check_ballot(VoteStage.COUNCIL, request, proofs=True)

    async def _cast(self, vote: VoteStage, request: BallotRequest) -> StepResult:
        async with self._lock:
            ballot = self._check_ballot(vote, request, proofs=False)
            key = self._key()
            await self._write(
                "record_ballot",
                key,
                {"stage": vote.value, "voter": request.voter},
                request.actor_id,
                request.actor_role,
            )
            self._voted[vote.value].append(request.voter)
            # Kept in canonical form, so its tracker is the same wherever it is recomputed.
            self._box[vote.value].append({"receipt": request.receipt, "ballot": ballot.to_json()})
            self._trackers[vote.value].add(ballot.tracker)
            if len(self._voted[vote.value]) == len(self._electorate[vote.value]):
                await self._close_vote(vote, f"{key}:close", "every member voted")
            return StepResult(self._stage, "ballot recorded", ballot.tracker)

    @workflow.update
    async def tally_share(self, request: ShareRequest) -> StepResult:
        async with self._lock:
            vote, part = self._check_share(request)
            key = self._key()
            await self._write(
                "submit_share",
                key,
                {"stage": vote.value, "share": request.share},
                request.actor_id,
                request.actor_role,
            )
            self._shares[vote.value].append(part.trustee)
            await self._finish_count(vote, key)
            missing = self._shares_missing(vote)
            return StepResult(
                self._stage, f"share accepted; {missing} more needed" if missing else "counted"
            )

    @tally_share.validator
    def _validate_tally_share(self, request: ShareRequest) -> None:
        self._check_share(request)

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
