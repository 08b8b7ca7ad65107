"""Decisions that award many: issue one for a list of council-approved proposals (the President,
or a deputy under a delegation signing KT., TUQ., ...), list them, read one with its annex, and
download its generated PDF record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from services.api.params import CurrentUser, IdempotencyKey, RuntimeDep
from services.api.routes.steps import REPLAYED
from services.api.schemas.decisions import DecisionIn, DecisionList, DecisionOut, DecisionSummary
from services.application import decisions

router = APIRouter(prefix="/api/decisions", tags=["decisions"])


@router.post(
    "",
    status_code=201,
    summary="Issue one decision (Quyết định) for many council-approved proposals",
    response_model=DecisionOut,
    response_model_exclude_none=True,
)
async def issue(
    body: DecisionIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> DecisionOut:
    new = decisions.NewDecision(
        number=body.number,
        decided_on=body.decided_on,
        proposal_ids=tuple(body.proposal_ids),
        signing_form=body.signing_form,
        signer_title=body.signer_title,
        excluded=tuple((e.proposal_id, e.reason) for e in body.excluded),
        bases=tuple(body.bases),
        proposed_by=body.proposed_by,
        recipients=tuple(body.recipients),
    )
    issued = await decisions.issue(runtime, user, new, idempotency_key)
    if issued.replayed:
        response.headers[REPLAYED] = "true"
    return DecisionOut.of(issued.decision, issued)


@router.get("", summary="Decisions for many, newest first", response_model=DecisionList)
async def listed(
    runtime: RuntimeDep,
    user: CurrentUser,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> DecisionList:
    rows = await run_in_threadpool(runtime.decisions.list, year, limit, offset)
    return DecisionList(items=[DecisionSummary.of(row) for row in rows])


@router.get(
    "/{decision_id}",
    summary="A decision with its annex of awardees and its signature",
    response_model=DecisionOut,
    response_model_exclude_none=True,
)
async def read(decision_id: str, runtime: RuntimeDep, user: CurrentUser) -> DecisionOut:
    found = await run_in_threadpool(decisions.decision, runtime, decision_id)
    return DecisionOut.of(found)


@router.get(
    "/{decision_id}/record",
    summary="The decision's generated PDF (its sha256 is in the decision)",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {"schema": {"type": "string"}}}}},
)
async def record(decision_id: str, runtime: RuntimeDep, user: CurrentUser) -> Response:
    found = await run_in_threadpool(decisions.decision, runtime, decision_id)
    content = await run_in_threadpool(decisions.record, runtime, found)
    name = str(found.record["name"])
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
