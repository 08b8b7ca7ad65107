"""ProposalWorkflow: one proposal through cluster vote, appraisal, council vote and decision."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.kernel.actor import SYSTEM, Actor, Role
    from domain.kernel.errors import InvalidInput
    from domain.proposal.commands import (
        ApproveAppraisal,
        CloseVote,
        Command,
        Decide,
        DecideByDecision,
        Forward,
        Hold,
        MissDeadline,
        OpenAppraisal,
        OpenVote,
        RecordBallot,
        RecordExternalOutcome,
        RecordSessionResult,
        Release,
        Resubmit,
        ReturnDossier,
        SealBox,
        Submit,
        SubmitShare,
        TakeServiceShares,
        Withdraw,
    )
    from domain.proposal.lifecycle import (
        DEADLINE_OF,
        VOTING,
        Step,
        submit_step,
    )
    from domain.proposal.states import TERMINAL, State, VoteStage
    from domain.voting.ballot import BallotRule
    from domain.voting.election_key import ElectionKey
    from domain.voting.elgamal import Ciphertext
    from domain.voting.sealed_ballot import SealedBallot, totals
    from workflows.before_one_round_trip import (
        APPLY_STEP,
        DECRYPT_COUNT,
        ELECTION_KEY,
        FIND_ELECTORATE,
        PATCH,
        RETRY,
        BeforeOneRoundTrip,
    )
    from workflows.guards import ProposalGuards, refusal
    from workflows.messages import (
        AppraisalRequest,
        BallotRequest,
        DecidedByDecisionRequest,
        DecisionRequest,
        ExternalOutcomeRequest,
        ForwardRequest,
        ProcessView,
        ProposalInput,
        SessionResultRequest,
        ShareRequest,
        StepInput,
        StepOutcome,
        StepRequest,
        StepResult,
        rule_json,
    )
    from workflows.publication import PublicationSteps

__all__ = ["APPLY_STEP", "DECRYPT_COUNT", "ELECTION_KEY", "FIND_ELECTORATE", "TAKE_STEP"]
TAKE_STEP = "take_step"


def _carried(cause: ApplicationError) -> dict[str, Any]:
    """What an activity's refusal carries beside its English text (the message template)."""
    details = cause.details[0] if cause.details else None
    return dict(details) if isinstance(details, dict) else {}


def _actor(actor_id: str, role: str) -> Actor:
    return Actor(actor_id, Role(role))


@workflow.defn
class ProposalWorkflow(ProposalGuards, BeforeOneRoundTrip, PublicationSteps):
    # The input arrives in __init__ so that an update delivered in the very first workflow
    # task (before run() has started) already knows which proposal it belongs to.
    @workflow.init
    def __init__(self, proposal: ProposalInput) -> None:
        self._proposal = proposal
        # A proposal its cluster's conference voted starts at the appraisal, which run() opens
        # in the store first: a step that arrives before then waits for it (see _take).
        self._conference_start = proposal.start == State.CLUSTER_APPROVED
        self._stage: str = (
            State.APPRAISAL.value if self._conference_start else State(proposal.start).value
        )
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
        self._window_closes: datetime | None = None  # a published nominee's window
        self._by_session = False  # the council takes it in a session, not a vote of its own

    # ---- the process ---------------------------------------------------------------------

    @workflow.run
    async def run(self, proposal: ProposalInput) -> str:
        if self._conference_start:
            await self._from_conference()
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

    async def _from_conference(self) -> None:
        """A proposal the cluster's conference voted goes straight on to the appraisal. Not
        under the lock: a step that holds it waits in _take until the appraisal is open."""
        deadline = self._after(self._proposal.deadlines.appraisal_days)
        key = f"conference:{self._proposal.proposal_id}:appraisal"
        opening = OpenAppraisal(actor=SYSTEM, key=key, deadline=deadline)
        outcome = await self._write([opening])
        self._set_stage(outcome.state, deadline)
        self._conference_start = False

    def _changed_since(self, epoch: int) -> Callable[[], bool]:
        return lambda: self._epoch != epoch

    async def _deadline_passed(self) -> None:
        deadline = self._deadline
        assert deadline is not None
        if self._stage == State.PUBLISHED:
            await self._window_ended()
            return
        if not workflow.patched(PATCH):
            await self._old_deadline_passed(self._epoch, deadline)
            return
        stage = State(self._stage)
        key = f"deadline:{stage}:{self._epoch}"
        missed = MissDeadline(actor=SYSTEM, key=key, step=DEADLINE_OF[stage], deadline=deadline)
        if stage in (State.APPRAISAL, State.FORWARDED):
            # Escalation without closing: the appraisal stays open, flagged overdue; a
            # forwarded proposal is reminded of and goes on waiting for the state body.
            await self._take([missed])
            self._set_stage(stage, None)
            return
        vote = VoteStage.CLUSTER if stage == State.CLUSTER_VOTING else VoteStage.COUNCIL
        await self._close([missed], vote, f"deadline:{stage}:close", "deadline passed")

    def _set_stage(self, stage: str, deadline: datetime | None) -> None:
        self._stage = State(stage).value
        self._deadline = deadline
        self._epoch += 1

    def _after(self, days: float) -> datetime:
        return workflow.now() + timedelta(days=days)

    def _rule(self, vote: VoteStage) -> BallotRule:
        if vote == VoteStage.CLUSTER:
            return self._proposal.cluster_rule
        return self._proposal.council_rule

    def _key(self, suffix: str = "") -> str:
        info = workflow.current_update_info()
        base = info.id if info else str(workflow.uuid4())
        return f"{base}{suffix}"

    # ---- one round trip per step: every write of a step in one local activity --------------

    async def _take(self, commands: list[Command]) -> StepOutcome:
        if self._conference_start:
            await workflow.wait_condition(lambda: not self._conference_start)
        return await self._write(commands)

    async def _write(self, commands: list[Command]) -> StepOutcome:
        try:
            outcome: StepOutcome = await workflow.execute_local_activity(
                TAKE_STEP,
                StepInput(self._proposal.proposal_id, commands),
                result_type=StepOutcome,
                start_to_close_timeout=timedelta(seconds=60),
                retry_policy=RETRY,
            )
        except (ActivityError, ApplicationError) as error:
            # A local activity's refusal arrives as the ApplicationError itself, unwrapped.
            cause = error.cause if isinstance(error, ActivityError) else error
            if isinstance(cause, ApplicationError):
                raise ApplicationError(
                    cause.message,
                    {**_carried(cause), "state": self._stage},
                    type=cause.type,
                    non_retryable=True,
                ) from None
            raise
        return outcome

    def _opening(
        self, vote: VoteStage, key: str, today: str | None = None
    ) -> tuple[OpenVote, datetime]:
        days = (
            self._proposal.deadlines.cluster_vote_days
            if vote == VoteStage.CLUSTER
            else self._proposal.deadlines.council_vote_days
        )
        deadline = self._after(days)
        rule = rule_json(self._rule(vote))
        opening = OpenVote(
            actor=SYSTEM, key=key, stage=vote, rule=rule, deadline=deadline, today=today
        )
        return opening, deadline

    async def _open(
        self, commands: list[Command], vote: VoteStage, key: str, today: str | None = None
    ) -> None:
        """The step's writes, then the vote they open, in one activity."""
        opening, deadline = self._opening(vote, key, today)
        outcome = await self._take([*commands, opening])
        report = outcome.votes[vote.value]
        self._electorate[vote.value] = report.electorate
        self._voted[vote.value] = []
        self._box[vote.value] = []
        self._keys[vote.value] = ElectionKey.from_json(report.election_key)
        self._trackers[vote.value] = set()
        self._totals.pop(vote.value, None)
        self._shares[vote.value] = []
        self._set_stage(VOTING[vote], deadline)
        if not report.electorate:
            await self._close([], vote, f"{key}:close", "no member may vote")

    def _counting(self, vote: VoteStage, key: str) -> tuple[list[Command], datetime]:
        """Close the vote if its count is complete, and open the appraisal if the cluster
        approved: both only if the store finds them due, so they ride along with any step."""
        deadline = self._after(self._proposal.deadlines.appraisal_days)
        commands: list[Command] = [
            CloseVote(actor=SYSTEM, key=f"{key}:count", stage=vote, if_counted=True)
        ]
        if vote == VoteStage.CLUSTER:
            opening = OpenAppraisal(
                actor=SYSTEM, key=f"{key}:appraisal", deadline=deadline, if_approved=True
            )
            commands.append(opening)
        return commands, deadline

    async def _close(self, commands: list[Command], vote: VoteStage, key: str, reason: str) -> None:
        """The step's writes, then seal the box, take the shares the service holds, and close
        the vote if they are enough (otherwise it waits for the trustees), in one activity."""
        # The box leaves the workflow sorted by receipt: nothing in it follows the order of voting.
        box = sorted(self._box[vote.value], key=lambda entry: entry["receipt"])
        sealing = SealBox(
            actor=SYSTEM, key=key, stage=vote, box=box, reason=reason, closed_at=workflow.now()
        )
        shares = TakeServiceShares(actor=SYSTEM, key=f"{key}:share", stage=vote)
        counting, deadline = self._counting(vote, key)
        outcome = await self._take([*commands, sealing, shares, *counting])
        self._totals[vote.value] = totals(SealedBallot.from_json(e["ballot"]) for e in box)
        self._counted(vote, outcome, deadline)

    def _counted(self, vote: VoteStage, outcome: StepOutcome, deadline: datetime) -> None:
        self._shares[vote.value] = list(outcome.votes[vote.value].trustees)
        # Counting has no deadline; an opened appraisal has its own.
        self._set_stage(outcome.state, deadline if outcome.state == State.APPRAISAL else None)

    # ---- human steps (workflow updates) --------------------------------------------------

    @workflow.update
    async def submit(self, request: StepRequest) -> StepResult:
        async with self._lock:
            self._validate_submit(request)
            key = self._key()
            step = submit_step(self._stage)
            action = "resubmit" if step == Step.RESUBMIT else "submit"
            actor = _actor(request.actor_id, request.actor_role)
            if not workflow.patched(PATCH):
                await self._old_submit(action, key, request.comment, actor)
                return StepResult(self._stage, f"{action} accepted")
            kind = Resubmit if step == Step.RESUBMIT else Submit
            submitted = kind(actor=actor, key=key, comment=request.comment)
            if self._proposal.cluster_vote and VoteStage.CLUSTER.value not in self._electorate:
                await self._open([submitted], VoteStage.CLUSTER, f"{key}:cluster-vote")
            else:
                deadline = self._after(self._proposal.deadlines.appraisal_days)
                opening = OpenAppraisal(actor=SYSTEM, key=f"{key}:appraisal", deadline=deadline)
                outcome = await self._take([submitted, opening])
                self._set_stage(outcome.state, deadline)
            return StepResult(self._stage, f"{action} accepted")

    @submit.validator
    def _validate_submit(self, request: StepRequest) -> None:
        self._check(submit_step(self._stage))

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

    def _admit(self, vote: VoteStage, voter: str, receipt: str, ballot: SealedBallot) -> None:
        self._voted[vote.value].append(voter)
        # Kept in canonical form, so its tracker is the same wherever it is recomputed.
        self._box[vote.value].append({"receipt": receipt, "ballot": ballot.to_json()})
        self._trackers[vote.value].add(ballot.tracker)

    def _unadmit(self, vote: VoteStage, ballot: SealedBallot) -> None:
        self._voted[vote.value].pop()
        self._box[vote.value].pop()
        self._trackers[vote.value].discard(ballot.tracker)

    async def _cast(self, vote: VoteStage, request: BallotRequest) -> StepResult:
        async with self._lock:
            ballot = self._check_ballot(vote, request, proofs=False)
            key = self._key()
            if not workflow.patched(PATCH):
                await self._old_cast(vote, key, request, ballot)
                return StepResult(self._stage, "ballot recorded", ballot.tracker)
            actor = _actor(request.actor_id, request.actor_role)
            recorded = RecordBallot(actor=actor, key=key, stage=vote, voter=request.voter)
            if len(self._voted[vote.value]) + 1 < len(self._electorate[vote.value]):
                await self._take([recorded])
                self._admit(vote, request.voter, request.receipt, ballot)
            else:  # the last ballot closes the vote in the same round trip
                self._admit(vote, request.voter, request.receipt, ballot)
                try:
                    await self._close([recorded], vote, f"{key}:close", "every member voted")
                except BaseException:
                    self._unadmit(vote, ballot)
                    raise
            return StepResult(self._stage, "ballot recorded", ballot.tracker)

    @workflow.update
    async def tally_share(self, request: ShareRequest) -> StepResult:
        async with self._lock:
            vote, part = self._check_share(request)
            key = self._key()
            if not workflow.patched(PATCH):
                await self._old_share(vote, key, request, part.trustee)
            else:
                actor = _actor(request.actor_id, request.actor_role)
                given = SubmitShare(actor=actor, key=key, stage=vote, share=request.share)
                counting, deadline = self._counting(vote, key)
                self._counted(vote, await self._take([given, *counting]), deadline)
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
            actor = _actor(request.actor_id, request.actor_role)
            if request.action == "return":
                returned = ReturnDossier(actor=actor, key=key, reason=request.reason)
                state = await self._one(returned, "return", {"reason": request.reason}, request)
                self._set_stage(state, None)
                return StepResult(self._stage, "returned to the proposer")
            if request.council == "session":  # --- session: waits for a session's agenda
                self._by_session = True  # --- publish ---: after any window, too
                approved = ApproveAppraisal(actor=actor, key=key, comment=request.reason)
                self._set_stage((await self._take([approved])).state, None)
                return StepResult(self._stage, "appraised: waiting for a council session")
            if not workflow.patched(PATCH):
                await self._old_approve(key, request)
            elif self._proposal.publication:  # published for feedback before the council
                approved = ApproveAppraisal(actor=actor, key=key, comment=request.reason)
                self._set_stage((await self._take([approved])).state, None)
                return StepResult(self._stage, "appraised: publish the nominee for feedback")
            else:
                approved = ApproveAppraisal(actor=actor, key=key, comment=request.reason)
                await self._open([approved], VoteStage.COUNCIL, f"{key}:council-vote")
            return StepResult(self._stage, "sent to the council vote")

    @appraisal.validator
    def _validate_appraisal(self, request: AppraisalRequest) -> None:
        if request.action not in ("approve", "return"):
            self._check(Step.APPROVE_APPRAISAL)
            raise refusal(InvalidInput("action must be approve or return"), self._stage)
        if request.action == "return":
            self._check(Step.RETURN, request.reason)
        else:
            self._check(Step.APPROVE_APPRAISAL)

    async def _one(self, command: Command, action: str, args: dict[str, Any], request: Any) -> str:
        """A step of one write: answers the state the store answers."""
        if not workflow.patched(PATCH):
            return await self._old_write(
                action, command.key, args, request.actor_id, request.actor_role
            )
        return (await self._take([command])).state

    @workflow.update
    async def decision(self, request: DecisionRequest) -> StepResult:
        async with self._lock:
            self._check_decision(request)
            args = {
                "outcome": request.outcome,
                "number": request.number,
                "decided_on": request.decided_on,
                "reason": request.reason,
            }
            actor = _actor(request.actor_id, request.actor_role)
            command = Decide(
                actor=actor,
                key=self._key(),
                outcome=request.outcome,
                number=request.number,
                decided_on=request.decided_on,
                reason=request.reason,
            )
            self._set_stage(await self._one(command, "decide", args, request), None)
            return StepResult(self._stage, f"decision {request.number} recorded")

    @decision.validator
    def _validate_decision(self, request: DecisionRequest) -> None:
        self._check_decision(request)

    # --- decide ---
    @workflow.update
    async def decided_by_decision(self, request: DecidedByDecisionRequest) -> StepResult:
        async with self._lock:
            self._check_decision(request)
            command = DecideByDecision(
                actor=_actor(request.actor_id, request.actor_role),
                key=self._key(),
                decision_id=request.decision_id,
                outcome=request.outcome,
                number=request.number,
                decided_on=request.decided_on,
                signing_form=request.signing_form,
                signer=request.signer,
                on_behalf_of=request.on_behalf_of,
                reason=request.reason,
            )
            self._set_stage((await self._take([command])).state, None)
            return StepResult(self._stage, f"decision {request.number} recorded")

    @decided_by_decision.validator
    def _validate_decided_by_decision(self, request: DecidedByDecisionRequest) -> None:
        self._check_decision(request)

    @workflow.update
    async def forward(self, request: ForwardRequest) -> StepResult:
        async with self._lock:
            self._check_forward(request)
            actor = _actor(request.actor_id, request.actor_role)
            command = Forward(
                actor=actor,
                key=self._key(),
                letter_number=request.letter_number,
                sent_on=request.sent_on,
                recipient=request.recipient,
                letter=request.letter,
            )
            state = (await self._take([command])).state
            # The state body's outcome is waited for durably; a reminder when it is late.
            self._set_stage(state, self._after(self._proposal.deadlines.external_outcome_days))
            return StepResult(self._stage, f"forwarded with letter {request.letter_number}")

    @forward.validator
    def _validate_forward(self, request: ForwardRequest) -> None:
        self._check_forward(request)

    @workflow.update
    async def external_outcome(self, request: ExternalOutcomeRequest) -> StepResult:
        async with self._lock:
            self._check_external_outcome(request)
            actor = _actor(request.actor_id, request.actor_role)
            command = RecordExternalOutcome(
                actor=actor,
                key=self._key(),
                outcome=request.outcome,
                number=request.number,
                decided_on=request.decided_on,
                issuer=request.issuer,
                document=request.document,
                reason=request.reason,
            )
            self._set_stage((await self._take([command])).state, None)
            return StepResult(self._stage, f"external decision {request.number} recorded")

    @external_outcome.validator
    def _validate_external_outcome(self, request: ExternalOutcomeRequest) -> None:
        self._check_external_outcome(request)

    @workflow.update
    async def withdraw(self, request: StepRequest) -> StepResult:
        async with self._lock:
            self._validate_withdraw(request)
            actor = _actor(request.actor_id, request.actor_role)
            command = Withdraw(actor=actor, key=self._key(), reason=request.comment)
            state = await self._one(command, "withdraw", {"reason": request.comment}, request)
            self._set_stage(state, None)
            return StepResult(self._stage, "withdrawn")

    @withdraw.validator
    def _validate_withdraw(self, request: StepRequest) -> None:
        self._check(Step.WITHDRAW)

    @workflow.update
    async def hold(self, request: StepRequest) -> StepResult:
        async with self._lock:
            self._validate_hold(request)
            actor = _actor(request.actor_id, request.actor_role)
            command = Hold(actor=actor, key=self._key(), reason=request.comment)
            await self._one(command, "hold", {"reason": request.comment}, request)
            # The clock of a timed step stops while the proposal is on hold.
            self._held_remaining = (self._deadline - workflow.now()) if self._deadline else None
            self._held_from = self._stage
            self._set_stage(State.ON_HOLD, None)
            return StepResult(self._stage, "on hold")

    @hold.validator
    def _validate_hold(self, request: StepRequest) -> None:
        self._check(Step.HOLD, request.comment)

    @workflow.update
    async def release(self, request: StepRequest) -> StepResult:
        async with self._lock:
            self._validate_release(request)
            actor = _actor(request.actor_id, request.actor_role)
            command = Release(actor=actor, key=self._key(), reason=request.comment)
            state = await self._one(command, "release", {"reason": request.comment}, request)
            remaining = self._held_remaining
            self._held_from = None
            deadline = workflow.now() + remaining if remaining is not None else None
            if state == State.PUBLISHED:  # the window keeps its end: a hold does not extend it
                deadline = self._window_closes
            self._set_stage(state, deadline)
            return StepResult(self._stage, "released")

    @release.validator
    def _validate_release(self, request: StepRequest) -> None:
        self._check(Step.RELEASE)

    # --- session: a council session's count of this proposal's line ----------------------

    @workflow.update
    async def session_result(self, request: SessionResultRequest) -> StepResult:
        async with self._lock:
            self._check(Step.RECORD_SESSION_RESULT)
            command = RecordSessionResult(
                actor=_actor(request.actor_id, request.actor_role),
                key=self._key(),
                session_id=request.session_id,
                tally=request.tally,
                base=request.base,
                outcome=request.outcome,
                closed_at=request.closed_at,
            )
            self._set_stage((await self._take([command])).state, None)
            return StepResult(self._stage, f"council session: {request.outcome}")

    @session_result.validator
    def _validate_session_result(self, request: SessionResultRequest) -> None:
        self._check(Step.RECORD_SESSION_RESULT)

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
