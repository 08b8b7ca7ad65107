"""Publication over HTTP: the secretary publishes an appraised state-level nominee, and the
public list of nominees in their feedback window — the one endpoint besides /health that
needs no sign-in (it shows only the allowed fields)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from services.api.access import visible_proposal
from services.api.params import CouncilSecretary, IdempotencyKey, RuntimeDep
from services.api.routes.steps import _answer, _refusals
from services.api.schemas.publication import PublicNomineeOut, PublicNominees, PublishIn
from services.api.schemas.steps import StepAnswer
from services.application import publication

router = APIRouter(tags=["publication"])


@router.post(
    "/api/proposals/{proposal_id}/publish",
    summary="Publish an appraised nominee for feedback before the council",
    response_model=StepAnswer,
    response_model_exclude_none=True,
)
async def publish(
    proposal_id: str,
    body: PublishIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> StepAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    publishing = publication.Publishing(body.where, body.published_on)
    async with _refusals(proposal):
        taken = await publication.publish(runtime, proposal, user, publishing, idempotency_key)
    return _answer(taken, response)


@router.get(
    "/api/public/nominees",
    summary="Nominees published for feedback, in their window (no sign-in)",
    response_model=PublicNominees,
)
async def public_nominees(runtime: RuntimeDep) -> PublicNominees:
    found = await run_in_threadpool(publication.public_nominees, runtime)
    return PublicNominees(nominees=[PublicNomineeOut.of(nominee) for nominee in found])
