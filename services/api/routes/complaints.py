"""Complaints about a published nominee over HTTP: any signed-in user lodges one in the window
(the secretary also records letters); the secretary resolves them; only the secretary and
auditors read them, complainants included."""

from __future__ import annotations

from typing import Annotated
from uuid import uuid4

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from domain.kernel.actor import Role
from domain.proposal.complaints import ComplaintKind, ComplaintSource, Resolution
from services.api.access import not_found, parse_id, visible_proposal
from services.api.deps import require
from services.api.params import CouncilSecretary, CurrentUser, IdempotencyKey, RuntimeDep
from services.api.routes.steps import _refusals
from services.api.schemas.publication import (
    ComplaintIn,
    ComplaintLodged,
    ComplaintOut,
    Complaints,
    ResolutionIn,
    Resolved,
)
from services.api.schemas.values import Bilingual
from services.application import complaints
from services.application.access import can_view
from services.application.directory import User
from services.application.proposals import ProposalNotFound
from services.i18n.labels import state_label

router = APIRouter(prefix="/api/proposals/{proposal_id}/complaints", tags=["complaints"])
Reader = Annotated[User, Depends(require(Role.COUNCIL_SECRETARY, Role.AUDITOR))]


@router.post(
    "", summary="Lodge a complaint about a published nominee", response_model=ComplaintLodged
)
async def lodge(
    proposal_id: str,
    body: ComplaintIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> ComplaintLodged:
    # A published nominee is public: anyone signed in may complain about it.
    try:
        proposal = await run_in_threadpool(runtime.app.proposal, parse_id(proposal_id))
    except ProposalNotFound:
        raise not_found(proposal_id) from None
    if proposal.publication is None and not can_view(user, proposal):
        raise not_found(proposal_id)
    lodging = complaints.Lodging(
        ComplaintKind(body.kind),
        body.text,
        ComplaintSource(body.source),
        body.sender,
        body.received_on,
    )
    key = f"{user.username}:{idempotency_key or uuid4()}"
    async with _refusals(proposal):
        found = await complaints.lodge(runtime, proposal, user, lodging, key)
    return ComplaintLodged(
        complaint_id=found.complaint_id, proposal_id=found.proposal_id, held=found.held
    )


@router.get(
    "", summary="The complaints about a proposal (secretary, auditors)", response_model=Complaints
)
async def complaints_of(proposal_id: str, runtime: RuntimeDep, user: Reader) -> Complaints:
    proposal = await visible_proposal(runtime, user, proposal_id)
    found = await run_in_threadpool(complaints.complaints_of, runtime, str(proposal.id))
    return Complaints(complaints=[ComplaintOut.of(complaint) for complaint in found])


@router.post(
    "/{complaint_id}/resolution",
    summary="Dismiss a complaint (the proposal goes on) or uphold it (the nominee is rejected)",
    response_model=Resolved,
)
async def resolve(
    proposal_id: str,
    complaint_id: str,
    body: ResolutionIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    idempotency_key: IdempotencyKey = None,
) -> Resolved:
    proposal = await visible_proposal(runtime, user, proposal_id)
    resolving = complaints.Resolving(complaint_id, Resolution(body.resolution), body.reason)
    key = f"resolve:{user.username}:{idempotency_key or uuid4()}"
    async with _refusals(proposal):
        effect, state = await complaints.resolve(runtime, proposal, user, resolving, key)
    return Resolved(
        complaint_id=complaint_id,
        effect=effect.value,  # type: ignore[arg-type]
        state=state,
        state_label=Bilingual(**state_label(state)),
    )
