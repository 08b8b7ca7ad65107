"""The human steps of a proposal as use cases, each answered the same way on every repeat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone

from domain.proposal.aggregate import Proposal
from services.application.directory import User
from services.application.process import (
    APPRAISAL,
    DECISION,
    HOLD,
    RELEASE,
    SUBMIT,
    WITHDRAW,
    Process,
    RequestT,
    StepUpdate,
)
from services.runtime import Runtime
from workflows.messages import AppraisalRequest, DecisionRequest, StepRequest, StepResult

_VIETNAM = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class StepTaken:
    """What a step answers. Built only from the workflow update's result (and, for a ballot,
    the receipt, which follows from the key), never from a later read of the proposal: a read
    can fail after the step was applied, and a repeat must answer what the first call did."""

    proposal_id: str
    state: str
    message: str
    tracker: str | None = None
    receipt: str | None = None
    replayed: bool = False  # the answer recorded for an earlier request with the same key


def with_receipt(taken: StepTaken, receipt: str) -> StepTaken:
    return replace(taken, receipt=receipt)


async def take_step(
    process: Process,
    proposal_id: str,
    update: StepUpdate[RequestT],
    actor: str,
    idempotency_key: str | None,
    prepare: Callable[[], Awaitable[RequestT]],
) -> StepTaken:
    """Send a step to the proposal's workflow. With a key, ask Temporal first whether the step
    was taken already and answer its recorded outcome: the state has moved on since (a vote
    closed, the process ended), so checks made before sending would refuse the repeat.
    ``prepare`` builds the update's request, only when the step is new."""
    if idempotency_key:
        earlier = await process.outcome(proposal_id, update, actor, idempotency_key)
        if earlier is not None:
            return _taken(proposal_id, earlier, replayed=True)
    request = await prepare()
    result = await process.step(proposal_id, update, request, actor, idempotency_key)
    return _taken(proposal_id, result, replayed=False)


def _taken(proposal_id: str, result: StepResult, replayed: bool) -> StepTaken:
    return StepTaken(proposal_id, result.state, result.message, result.tracker, None, replayed)


async def _take(
    runtime: Runtime,
    proposal: Proposal,
    update: StepUpdate[RequestT],
    request: RequestT,
    user: User,
    key: str | None,
) -> StepTaken:
    async def prepared() -> RequestT:
        return request

    return await take_step(runtime.process, str(proposal.id), update, user.username, key, prepared)


async def submit(
    runtime: Runtime, proposal: Proposal, user: User, comment: str, key: str | None
) -> StepTaken:
    async def prepare() -> StepRequest:
        if proposal.state == "draft":
            # The process is started at creation; starting it again is a no-op, and heals a
            # draft whose start failed while Temporal was away.
            await runtime.process.start_for(proposal)
        return StepRequest(user.username, "proposer", comment)

    return await take_step(runtime.process, str(proposal.id), SUBMIT, user.username, key, prepare)


async def withdraw(
    runtime: Runtime, proposal: Proposal, user: User, comment: str, key: str | None
) -> StepTaken:
    request = StepRequest(user.username, "proposer", comment)
    return await _take(runtime, proposal, WITHDRAW, request, user, key)


async def appraise(
    runtime: Runtime,
    proposal: Proposal,
    user: User,
    action: str,
    reason: str,
    key: str | None,
    council: str = "vote",
) -> StepTaken:
    request = AppraisalRequest(user.username, "council_secretary", action, reason, council)
    return await _take(runtime, proposal, APPRAISAL, request, user, key)


@dataclass(frozen=True)
class Decision:
    outcome: str  # "awarded" or "rejected"
    number: str
    decided_on: date | None = None  # today in Vietnam when not given
    reason: str = ""


async def decide(
    runtime: Runtime, proposal: Proposal, user: User, decision: Decision, key: str | None
) -> StepTaken:
    decided_on = decision.decided_on or datetime.now(_VIETNAM).date()
    request = DecisionRequest(
        user.username,
        "president",
        decision.outcome,
        decision.number,
        decided_on.isoformat(),
        decision.reason,
    )
    return await _take(runtime, proposal, DECISION, request, user, key)


async def hold(
    runtime: Runtime, proposal: Proposal, user: User, reason: str, key: str | None
) -> StepTaken:
    request = StepRequest(user.username, _holder_role(user), reason)
    return await _take(runtime, proposal, HOLD, request, user, key)


async def release(
    runtime: Runtime, proposal: Proposal, user: User, reason: str, key: str | None
) -> StepTaken:
    request = StepRequest(user.username, _holder_role(user), reason)
    return await _take(runtime, proposal, RELEASE, request, user, key)


def _holder_role(user: User) -> str:
    return "council_secretary" if user.has("council_secretary") else "admin"
