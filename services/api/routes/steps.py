"""The human steps of the process over HTTP: each route builds the use case's input, calls it,
and shapes its answer (the use cases are in services/application/steps.py and voting.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Response, UploadFile
from fastapi.types import DecoratedCallable
from starlette.concurrency import run_in_threadpool

from domain.kernel.message import Message
from domain.proposal.aggregate import Proposal
from domain.proposal.states import VoteStage
from services.api.access import ensure_cluster_voter, ensure_proposer, visible_proposal
from services.api.params import (
    ClusterMember,
    CouncilMember,
    CouncilSecretary,
    CurrentUser,
    HoldKeeper,
    IdempotencyKey,
    President,
    Proposer,
    RuntimeDep,
)
from services.api.problems import Problem, problem_for_code
from services.api.routes.documents import upload_refusals
from services.api.schemas.steps import (
    AppraisalIn,
    CommentIn,
    DecisionIn,
    ForwardIn,
    ReasonIn,
    ReceiptAnswer,
    ReceiptIn,
    ShareIn,
    StepAnswer,
    VoteCountAnswer,
    VoteIn,
)
from services.api.text import Clean, refuse_in
from services.application import dossier, forwarding, steps, voting
from services.application.process import ProcessClosed, StepRefused
from services.application.steps import StepTaken

router = APIRouter(prefix="/api/proposals/{proposal_id}", tags=["steps"])

# One sentence per vote, so that each reads naturally in Vietnamese.
_NO_VOTE = {
    VoteStage.CLUSTER: Message("this proposal has had no cluster vote"),
    VoteStage.COUNCIL: Message("this proposal has had no council vote"),
}
REPLAYED = "Idempotency-Replayed"  # header on an answer recorded for an earlier request


@asynccontextmanager
async def _refusals(proposal: Proposal) -> AsyncIterator[None]:
    """The workflow's refusals as problems (503 for Temporal away is answered app-wide)."""
    try:
        yield
    except StepRefused as refusal:
        extra = {"state": refusal.state} if refusal.state else {}
        raise problem_for_code(refusal.code, refusal.message, **extra) from None
    except ProcessClosed:
        raise Problem(
            409,
            "illegal-transition",
            Message(
                "the process of this proposal has ended (state {state})",
                state=Message.term("state", proposal.state),
            ),
            state=proposal.state,
        ) from None


def _step(path: str, summary: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
    return router.post(
        path, summary=summary, response_model=StepAnswer, response_model_exclude_none=True
    )


def _answer(taken: StepTaken, response: Response) -> StepAnswer:
    if taken.replayed:
        response.headers[REPLAYED] = "true"
    return StepAnswer.of(taken)


@_step("/submit", "Submit (or resubmit a returned) dossier")
async def submit(
    proposal_id: str,
    runtime: RuntimeDep,
    user: Proposer,
    response: Response,
    idempotency_key: IdempotencyKey = None,
    body: CommentIn | None = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    ensure_proposer(user, proposal)
    comment = (body or CommentIn()).comment
    async with _refusals(proposal):
        taken = await steps.submit(runtime, proposal, user, comment, idempotency_key)
    return _answer(taken, response)


@_step("/withdraw", "Withdraw the proposal")
async def withdraw(
    proposal_id: str,
    runtime: RuntimeDep,
    user: Proposer,
    response: Response,
    idempotency_key: IdempotencyKey = None,
    body: CommentIn | None = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    ensure_proposer(user, proposal)
    comment = (body or CommentIn()).comment
    async with _refusals(proposal):
        taken = await steps.withdraw(runtime, proposal, user, comment, idempotency_key)
    return _answer(taken, response)


@_step("/cluster-votes", "Cast the unit's secret ballot in the cluster vote")
async def cluster_vote(
    proposal_id: str,
    body: VoteIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    ensure_cluster_voter(user, proposal)
    ballot = voting.Ballot(VoteStage.CLUSTER, body.choice, body.ballot)
    async with _refusals(proposal):
        taken = await voting.cast_ballot(runtime, proposal, user, ballot, idempotency_key)
    return _answer(taken, response)


@_step("/appraisal", "Appraise the dossier: approve to the council or return it")
async def appraisal(
    proposal_id: str,
    body: AppraisalIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    async with _refusals(proposal):
        taken = await steps.appraise(
            runtime, proposal, user, body.action, body.reason, idempotency_key, body.council
        )
    return _answer(taken, response)


@_step("/council-votes", "Cast a council member's secret ballot")
async def council_vote(
    proposal_id: str,
    body: VoteIn,
    runtime: RuntimeDep,
    user: CouncilMember,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    ballot = voting.Ballot(VoteStage.COUNCIL, body.choice, body.ballot)
    async with _refusals(proposal):
        taken = await voting.cast_ballot(runtime, proposal, user, ballot, idempotency_key)
    return _answer(taken, response)


@_step("/decision", "The President's decision: award or reject")
async def decision(
    proposal_id: str,
    body: DecisionIn,
    runtime: RuntimeDep,
    user: President,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    decided = steps.Decision(body.outcome, body.number, body.decided_on, body.reason)
    async with _refusals(proposal):
        taken = await steps.decide(runtime, proposal, user, decided, idempotency_key)
    return _answer(taken, response)


@_step("/forward", "Forward a council-approved state-level form with its letter (tờ trình)")
async def forward(
    proposal_id: str,
    body: ForwardIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    sent = forwarding.Forwarding(body.letter_number, body.recipient, body.sent_on)
    async with _refusals(proposal):
        taken = await forwarding.forward(runtime, proposal, user, sent, idempotency_key)
    return _answer(taken, response)


@_step("/external-outcome", "Record the state body's decision on a forwarded proposal")
async def external_outcome(
    proposal_id: str,
    file: Annotated[UploadFile, File(description="the external decision's document")],
    outcome: Annotated[Literal["awarded", "rejected"], Form()],
    number: Annotated[str, Clean, Form(min_length=1, max_length=50, examples=["123/QĐ-TTg"])],
    decided_on: Annotated[date, Form()],
    issuer: Annotated[str, Clean, Form(min_length=1, max_length=300)],
    runtime: RuntimeDep,
    user: CouncilSecretary,
    response: Response,
    reason: Annotated[str, Clean, Form(max_length=5_000)] = "",
    idempotency_key: IdempotencyKey = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    refuse_in(("body", "file", "filename"), file.filename or "")
    decided = forwarding.ExternalOutcome(outcome, number, decided_on, issuer, reason)
    async with _refusals(proposal):
        with upload_refusals():
            dossier.media_type_of(file.content_type or "")
            content = await file.read(dossier.read_limit(runtime))
            sent = dossier.Upload(
                file.filename or "", file.content_type or "", content, "external_decision"
            )
            taken = await forwarding.record_external_outcome(
                runtime, proposal, user, decided, sent, idempotency_key
            )
    return _answer(taken, response)


@router.post(
    "/receipts",
    summary="A voter checks that their ballot was counted as cast",
    response_model=ReceiptAnswer,
    response_model_exclude_none=True,
)
async def check_receipt(
    proposal_id: str, body: ReceiptIn, runtime: RuntimeDep, user: CurrentUser
) -> ReceiptAnswer:
    # A POST body, not a path: access logs must never hold a receipt.
    proposal = await visible_proposal(runtime, user, proposal_id)
    try:
        check = voting.check_receipt(runtime.secret, proposal, user, body.receipt)
    except voting.ReceiptNotYours:
        raise Problem(
            403, "forbidden", Message("only the voter this receipt was issued to may check it")
        ) from None
    except voting.ReceiptNotFound:
        raise Problem(
            404, "not-found", Message("no ballot in this proposal's boxes has that receipt")
        ) from None
    return ReceiptAnswer.of(check)


def _stage(stage: str) -> VoteStage:
    try:
        return VoteStage(stage)
    except ValueError:
        raise Problem(404, "not-found", Message("a vote is 'cluster' or 'council'")) from None


@router.get(
    "/votes/{stage}/count",
    summary="A vote's sealed totals, for trustees and auditors",
    response_model=VoteCountAnswer,
)
async def vote_count(
    proposal_id: str, stage: str, runtime: RuntimeDep, user: CurrentUser
) -> VoteCountAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    vote_stage = _stage(stage)
    try:
        count = await run_in_threadpool(voting.count_view, proposal, vote_stage)
    except voting.VoteNotFound:
        missing = _NO_VOTE[vote_stage]
        raise Problem(404, "not-found", missing) from None
    return VoteCountAnswer.of(count)


@_step("/votes/{stage}/shares", "A trustee's decryption share of a sealed vote")
async def give_share(
    proposal_id: str,
    stage: str,
    body: ShareIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    vote_stage = _stage(stage)
    async with _refusals(proposal):
        try:
            taken = await voting.give_share(
                runtime, proposal, user, vote_stage, body.share, idempotency_key
            )
        except voting.NotATrustee:
            raise Problem(
                403, "forbidden", Message("proposers do not take part in counting votes")
            ) from None
    return _answer(taken, response)


@_step("/hold", "Put the proposal on hold (discipline, inspection, complaint)")
async def hold(
    proposal_id: str,
    body: ReasonIn,
    runtime: RuntimeDep,
    user: HoldKeeper,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    async with _refusals(proposal):
        taken = await steps.hold(runtime, proposal, user, body.reason, idempotency_key)
    return _answer(taken, response)


@_step("/release", "Release a proposal from hold; its clock resumes")
async def release(
    proposal_id: str,
    body: ReasonIn,
    runtime: RuntimeDep,
    user: HoldKeeper,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    async with _refusals(proposal):
        taken = await steps.release(runtime, proposal, user, body.reason, idempotency_key)
    return _answer(taken, response)
