"""The proposal workflow's steps as histories recorded before the "one-round-trip" patch ran them.

Histories recorded before the patch wrote each step with several activities (apply_step once per
event, find_electorate, election_key, decrypt_count); replaying them needs that exact sequence.
New executions never come here. Remove this module with ``workflow.deprecate_patch`` once no
workflow started before the patch is open any more, nor any history of one is replayed.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.kernel.actor import Actor
    from domain.proposal.lifecycle import DEADLINE_OF, VOTING
    from domain.proposal.states import State, VoteStage
    from domain.voting.ballot import BallotRule
    from domain.voting.election_key import ElectionKey
    from domain.voting.elgamal import Ciphertext
    from domain.voting.sealed_ballot import SealedBallot, totals
    from workflows.messages import (
        AppraisalRequest,
        BallotRequest,
        CountQuery,
        ElectorateQuery,
        ProposalInput,
        ShareRequest,
        StepCommand,
        StepResult,
        rule_json,
    )

PATCH = "one-round-trip"
APPLY_STEP = "apply_step"
FIND_ELECTORATE = "find_electorate"
ELECTION_KEY = "election_key"
DECRYPT_COUNT = "decrypt_count"
RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(seconds=30)
)


class BeforeOneRoundTrip:
    """The old path: one activity per event written, mixed into ProposalWorkflow."""

    _proposal: ProposalInput
    _stage: str
    _electorate: dict[str, list[str]]
    _voted: dict[str, list[str]]
    _box: dict[str, list[dict[str, Any]]]
    _keys: dict[str, ElectionKey]
    _trackers: dict[str, set[str]]
    _totals: dict[str, list[Ciphertext]]
    _shares: dict[str, list[int]]
    _lock: asyncio.Lock

    def _set_stage(self, stage: str, deadline: datetime | None) -> None:
        raise NotImplementedError  # ProposalWorkflow's

    def _after(self, days: float) -> datetime:
        raise NotImplementedError  # ProposalWorkflow's

    def _shares_missing(self, vote: VoteStage) -> int:
        raise NotImplementedError  # ProposalWorkflow's

    async def _old_write(
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
                retry_policy=RETRY,
            )
        except ActivityError as error:
            cause = error.cause
            if isinstance(cause, ApplicationError):
                raise ApplicationError(
                    cause.message, {"state": self._stage}, type=cause.type, non_retryable=True
                ) from None
            raise
        return result.state

    async def _old_open_vote(self, vote: VoteStage, key: str) -> None:
        rule: BallotRule = (
            self._proposal.cluster_rule
            if vote == VoteStage.CLUSTER
            else self._proposal.council_rule
        )
        electorate: list[str] = await workflow.execute_activity(
            FIND_ELECTORATE,
            ElectorateQuery(self._proposal.proposal_id, vote.value, rule),
            result_type=list[str],
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RETRY,
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
            retry_policy=RETRY,
        )
        args = {
            "stage": vote.value,
            "electorate": electorate,
            "deadline": deadline.isoformat(),
            "election_key": election_key,
            "rule": rule_json(rule),
        }
        await self._old_write("open_vote", key, args)
        self._electorate[vote.value] = electorate
        self._voted[vote.value] = []
        self._box[vote.value] = []
        self._keys[vote.value] = ElectionKey.from_json(election_key)
        self._trackers[vote.value] = set()
        self._totals.pop(vote.value, None)
        self._shares[vote.value] = []
        self._set_stage(VOTING[vote], deadline)
        if not electorate:
            await self._old_close_vote(vote, f"{key}:close", "no member may vote")

    async def _old_close_vote(self, vote: VoteStage, key: str, reason: str) -> None:
        box = sorted(self._box[vote.value], key=lambda entry: entry["receipt"])
        args = {
            "stage": vote.value,
            "box": box,
            "reason": reason,
            "closed_at": workflow.now().isoformat(),
        }
        await self._old_write("seal_box", key, args)
        self._totals[vote.value] = totals(SealedBallot.from_json(e["ballot"]) for e in box)
        self._set_stage(self._stage, None)
        if box:
            shares: list[dict[str, Any]] = await workflow.execute_activity(
                DECRYPT_COUNT,
                CountQuery(self._proposal.proposal_id, vote.value),
                result_type=list[dict[str, Any]],
                start_to_close_timeout=timedelta(seconds=60),
                retry_policy=RETRY,
            )
            for share in shares:
                await self._old_write(
                    "submit_share",
                    f"{key}:share:{share['trustee']}",
                    {"stage": vote.value, "share": share},
                )
                self._shares[vote.value].append(share["trustee"])
        await self._old_finish_count(vote, key)

    async def _old_finish_count(self, vote: VoteStage, key: str) -> None:
        if self._shares_missing(vote):
            return
        state = await self._old_write("close_vote", f"{key}:count", {"stage": vote.value})
        self._set_stage(state, None)
        if vote == VoteStage.CLUSTER and state == State.CLUSTER_APPROVED:
            await self._old_open_appraisal(f"{key}:appraisal")

    async def _old_open_appraisal(self, key: str) -> None:
        deadline = self._after(self._proposal.deadlines.appraisal_days)
        state = await self._old_write("open_appraisal", key, {"deadline": deadline.isoformat()})
        self._set_stage(state, deadline)

    async def _old_deadline_passed(self, epoch: int, deadline: datetime) -> None:
        stage = State(self._stage)
        args = {"step": DEADLINE_OF[stage], "deadline": deadline.isoformat()}
        await self._old_write("miss_deadline", f"deadline:{stage}:{epoch}", args)
        if stage == State.APPRAISAL:
            self._set_stage(stage, None)
            return
        vote = VoteStage.CLUSTER if stage == State.CLUSTER_VOTING else VoteStage.COUNCIL
        await self._old_close_vote(vote, f"deadline:{stage}:close", "deadline passed")

    def _admit(self, vote: VoteStage, voter: str, receipt: str, ballot: SealedBallot) -> None:
        raise NotImplementedError  # ProposalWorkflow's

    async def _old_submit(self, action: str, key: str, comment: str, actor: Actor) -> None:
        await self._old_write(action, key, {"comment": comment}, actor.id, actor.role)
        self._set_stage(State.SUBMITTED, None)
        if self._proposal.cluster_vote and VoteStage.CLUSTER.value not in self._electorate:
            await self._old_open_vote(VoteStage.CLUSTER, f"{key}:cluster-vote")
        else:
            await self._old_open_appraisal(f"{key}:appraisal")

    async def _old_cast(
        self, vote: VoteStage, key: str, request: BallotRequest, ballot: SealedBallot
    ) -> None:
        args = {"stage": vote.value, "voter": request.voter}
        await self._old_write("record_ballot", key, args, request.actor_id, request.actor_role)
        self._admit(vote, request.voter, request.receipt, ballot)
        if len(self._voted[vote.value]) == len(self._electorate[vote.value]):
            await self._old_close_vote(vote, f"{key}:close", "every member voted")

    async def _old_share(
        self, vote: VoteStage, key: str, request: ShareRequest, trustee: int
    ) -> None:
        args = {"stage": vote.value, "share": request.share}
        await self._old_write("submit_share", key, args, request.actor_id, request.actor_role)
        self._shares[vote.value].append(trustee)
        await self._old_finish_count(vote, key)

    async def _old_approve(self, key: str, request: AppraisalRequest) -> None:
        args = {"comment": request.reason}
        await self._old_write("approve_appraisal", key, args, request.actor_id, request.actor_role)
        self._set_stage(State.APPRAISED, None)
        await self._old_open_vote(VoteStage.COUNCIL, f"{key}:council-vote")
