"""The human steps of the process, each a workflow update answered synchronously."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from fastapi import APIRouter, Depends, Header
from starlette.concurrency import run_in_threadpool

from domain.proposal import Proposal
from domain.sealed_ballot import seal, totals
from domain.states import VoteStage
from infra.trustee_keys import secret_exponent
from services.api.access import ensure_proposer, visible_proposal
from services.api.deps import current_user, get_runtime, require
from services.api.problems import Problem, problem_for_code
from services.api.schemas import (
    AppraisalIn,
    CommentIn,
    DecisionIn,
    ReasonIn,
    ReceiptIn,
    ShareIn,
    VoteIn,
)
from services.directory import User
from services.process import ProcessClosed, ProcessUnavailable, StepRefused
from services.receipts import issue_receipt, receipt_hash
from services.runtime import Runtime
from services.views import proposal_view
from workflows.steps import (
    AppraisalRequest,
    BallotRequest,
    DecisionRequest,
    ShareRequest,
    StepRequest,
)

router = APIRouter(prefix="/api/proposals/{proposal_id}", tags=["steps"])
_VIETNAM = timezone(timedelta(hours=7))
IdempotencyKey = Header(
    default=None, max_length=200, description="Repeat a step safely: the same key is applied once"
)


async def _take_step(
    runtime: Runtime, proposal: Proposal, update: str, request: Any, idempotency_key: str | None
) -> dict[str, Any]:
    pid = str(proposal.id)
    try:
        result = await runtime.process.step(pid, update, request, idempotency_key)
    except StepRefused as refusal:
        extra = {"state": refusal.state} if refusal.state else {}
        raise problem_for_code(refusal.code, refusal.message, **extra) from None
    except ProcessClosed:
        raise Problem(
            409,
            "illegal-transition",
            f"the process of this proposal has ended (state {proposal.state})",
            state=proposal.state,
        ) from None
    except ProcessUnavailable as error:
        raise Problem(503, "process-unavailable", str(error)) from None
    fresh = await run_in_threadpool(runtime.app.proposal, proposal.id)
    answer = {**proposal_view(fresh), "message": result.message}
    if result.tracker:
        answer["tracker"] = result.tracker
    return answer


def _open_vote(proposal: Proposal, stage: VoteStage) -> None:
    vote = proposal.votes.get(stage.value)
    if vote is None or vote["result"] is not None or vote["sealed"]:
        raise Problem(
            409,
            "illegal-transition",
            f"the {stage} vote is not open (the proposal is {proposal.state})",
            state=proposal.state,
        )


def _seal(proposal: Proposal, stage: VoteStage, body: VoteIn) -> dict[str, Any]:
    """The ballot as the workflow receives it: sealed under the trustees' key. A plain choice
    lives only in this request's memory; it is never logged, stored or sent on."""
    if body.ballot is not None:
        return body.ballot  # sealed by the voter's own client; the workflow checks its proofs
    assert body.choice is not None
    _open_vote(proposal, stage)
    key = proposal.election_key(stage)
    return seal(body.choice, key, proposal.ballot_context(stage), secret_exponent).to_json()


async def _cast(
    runtime: Runtime,
    proposal: Proposal,
    user: User,
    update: str,
    voter: str,
    body: VoteIn,
    idempotency_key: str | None,
) -> dict[str, Any]:
    stage = VoteStage.CLUSTER if update == "cluster_vote" else VoteStage.COUNCIL
    ballot = await run_in_threadpool(_seal, proposal, stage, body)
    receipt = issue_receipt(runtime.secret, user.username, proposal.id, idempotency_key)
    role = "cluster_member" if update == "cluster_vote" else "council_member"
    request = BallotRequest(user.username, role, voter, ballot, receipt_hash(receipt))
    answer = await _take_step(runtime, proposal, update, request, idempotency_key)
    # The receipt is shown once, to the voter, and stored nowhere.
    return {**answer, "receipt": receipt}


@router.post("/submit", summary="Submit (or resubmit a returned) dossier")
async def submit(
    proposal_id: str,
    body: CommentIn | None = None,
    user: User = Depends(require("proposer")),
    runtime: Runtime = Depends(get_runtime),
    idempotency_key: str | None = IdempotencyKey,
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    ensure_proposer(user, proposal)
    if proposal.state == "draft":
        # The process is started at creation; starting it again is a no-op, and heals a
        # draft whose start failed while Temporal was away.
        await runtime.process.start(str(proposal.id), proposal.form, proposal.cluster_vote_required)
    request = StepRequest(user.username, "proposer", (body or CommentIn()).comment)
    return await _take_step(runtime, proposal, "submit", request, idempotency_key)


@router.post("/withdraw", summary="Withdraw the proposal")
async def withdraw(
    proposal_id: str,
    body: CommentIn | None = None,
    user: User = Depends(require("proposer")),
    runtime: Runtime = Depends(get_runtime),
    idempotency_key: str | None = IdempotencyKey,
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    ensure_proposer(user, proposal)
    request = StepRequest(user.username, "proposer", (body or CommentIn()).comment)
    return await _take_step(runtime, proposal, "withdraw", request, idempotency_key)


@router.post("/cluster-votes", summary="Cast the unit's secret ballot in the cluster vote")
async def cluster_vote(
    proposal_id: str,
    body: VoteIn,
    user: User = Depends(require("cluster_member")),
    runtime: Runtime = Depends(get_runtime),
    idempotency_key: str | None = IdempotencyKey,
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    if user.cluster_id != proposal.cluster or not user.unit_id:
        raise Problem(403, "forbidden", f"only members of {proposal.cluster} vote on this proposal")
    return await _cast(runtime, proposal, user, "cluster_vote", user.unit_id, body, idempotency_key)


@router.post("/appraisal", summary="Appraise the dossier: approve to the council or return it")
async def appraisal(
    proposal_id: str,
    body: AppraisalIn,
    user: User = Depends(require("council_secretary")),
    runtime: Runtime = Depends(get_runtime),
    idempotency_key: str | None = IdempotencyKey,
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    request = AppraisalRequest(user.username, "council_secretary", body.action, body.reason)
    return await _take_step(runtime, proposal, "appraisal", request, idempotency_key)


@router.post("/council-votes", summary="Cast a council member's secret ballot")
async def council_vote(
    proposal_id: str,
    body: VoteIn,
    user: User = Depends(require("council_member")),
    runtime: Runtime = Depends(get_runtime),
    idempotency_key: str | None = IdempotencyKey,
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    return await _cast(
        runtime, proposal, user, "council_vote", user.username, body, idempotency_key
    )


@router.post("/decision", summary="The President's decision: award or reject")
async def decision(
    proposal_id: str,
    body: DecisionIn,
    user: User = Depends(require("president")),
    runtime: Runtime = Depends(get_runtime),
    idempotency_key: str | None = IdempotencyKey,
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    decided_on = body.decided_on or datetime.now(_VIETNAM).date()
    request = DecisionRequest(
        user.username, "president", body.outcome, body.number, decided_on.isoformat(), body.reason
    )
    return await _take_step(runtime, proposal, "decision", request, idempotency_key)


@router.post("/receipts", summary="A voter checks that their ballot was counted as cast")
async def check_receipt(
    proposal_id: str,
    body: ReceiptIn,
    user: User = Depends(current_user),
    runtime: Runtime = Depends(get_runtime),
) -> dict[str, Any]:
    # A POST body, not a path: access logs must never hold a receipt.
    proposal = await visible_proposal(runtime, user, proposal_id)
    digest = receipt_hash(body.receipt)
    for stage, vote in proposal.votes.items():
        for entry in vote.get("box") or []:
            if entry["receipt"] == digest:
                counted = vote["result"] is not None
                return {
                    "counted": counted,
                    "in_box": True,
                    "stage": stage,
                    # The sealed ballot's tracker, as shown when it was cast. The choice
                    # itself is never opened, not even for its voter: only the totals are.
                    "tracker": proposal.sealed_box(VoteStage(stage))[
                        [e["receipt"] for e in vote["box"]].index(digest)
                    ].tracker,
                    "detail": "in the sealed box and counted in the recorded totals"
                    if counted
                    else "in the sealed box; the totals are not opened yet",
                }
    if any(vote["box"] is None for vote in proposal.votes.values()):
        return {
            "counted": False,
            "in_box": False,
            "detail": "the box is sealed when the vote closes",
        }
    raise Problem(404, "not-found", "no ballot in this proposal's boxes has that receipt")


def _stage(stage: str) -> VoteStage:
    try:
        return VoteStage(stage)
    except ValueError:
        raise Problem(404, "not-found", "a vote is 'cluster' or 'council'") from None


@router.get("/votes/{stage}/count", summary="A vote's sealed totals, for trustees and auditors")
async def vote_count(
    proposal_id: str,
    stage: str,
    user: User = Depends(current_user),
    runtime: Runtime = Depends(get_runtime),
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    return await run_in_threadpool(_count_view, proposal, _stage(stage))


def _count_view(proposal: Proposal, stage: VoteStage) -> dict[str, Any]:
    vote = proposal.votes.get(stage.value)
    if vote is None:
        raise Problem(404, "not-found", f"this proposal has had no {stage} vote")
    key = proposal.election_key(stage)
    box = proposal.sealed_box(stage)
    return {
        "stage": stage.value,
        "election_key": {**key.to_json(), "fingerprint": key.fingerprint},
        "context": proposal.ballot_context(stage),
        "sealed": vote["sealed"] is not None,
        "voters": len(vote["voted"]),
        "ballots": len(box),
        # The sealed ballots themselves, so a trustee recomputes the totals before opening
        # them: a trustee must never be led to open anything but the product of a whole box.
        "box": [entry["ballot"] for entry in vote["box"] or []],
        "totals": [ct.to_json() for ct in totals(box)] if vote["sealed"] else None,
        "shares_from": sorted(share["trustee"] for share in vote["shares"]),
        "shares_missing": proposal.shares_missing(stage) if vote["sealed"] else None,
        "result": vote["result"],
    }


@router.post("/votes/{stage}/shares", summary="A trustee's decryption share of a sealed vote")
async def give_share(
    proposal_id: str,
    stage: str,
    body: ShareIn,
    user: User = Depends(current_user),
    runtime: Runtime = Depends(get_runtime),
    idempotency_key: str | None = IdempotencyKey,
) -> dict[str, Any]:
    # The share proves itself against the trustee's public verification key; the caller is
    # recorded as who delivered it. Proposers do not take part in the count.
    roles = [role for role in user.roles if role != "proposer"]
    if not roles:
        raise Problem(403, "forbidden", "proposers do not take part in counting votes")
    proposal = await visible_proposal(runtime, user, proposal_id)
    vote_stage = _stage(stage)
    role = roles[0]
    request = ShareRequest(user.username, role, vote_stage.value, body.share)
    return await _take_step(runtime, proposal, "tally_share", request, idempotency_key)


@router.post("/hold", summary="Put the proposal on hold (discipline, inspection, complaint)")
async def hold(
    proposal_id: str,
    body: ReasonIn,
    user: User = Depends(require("council_secretary", "admin")),
    runtime: Runtime = Depends(get_runtime),
    idempotency_key: str | None = IdempotencyKey,
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    role = "council_secretary" if user.has("council_secretary") else "admin"
    request = StepRequest(user.username, role, body.reason)
    return await _take_step(runtime, proposal, "hold", request, idempotency_key)


@router.post("/release", summary="Release a proposal from hold; its clock resumes")
async def release(
    proposal_id: str,
    body: ReasonIn,
    user: User = Depends(require("council_secretary", "admin")),
    runtime: Runtime = Depends(get_runtime),
    idempotency_key: str | None = IdempotencyKey,
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    role = "council_secretary" if user.has("council_secretary") else "admin"
    request = StepRequest(user.username, role, body.reason)
    return await _take_step(runtime, proposal, "release", request, idempotency_key)
