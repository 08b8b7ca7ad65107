"""Delegations: a holder (President, council chair, standing member) names a deputy for a
period and a scope of acts, revokes it; everyone signed in may read them (they show on signed
records)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from services.api.params import CurrentUser, IdempotencyKey, RuntimeDep
from services.api.schemas.decisions import (
    DelegationIn,
    DelegationList,
    DelegationOut,
    RevocationIn,
)
from services.application import delegations

router = APIRouter(prefix="/api/delegations", tags=["delegations"])


@router.post(
    "",
    status_code=201,
    summary="Name a deputy for a period and a scope of acts",
    response_model=DelegationOut,
)
async def create(
    body: DelegationIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> DelegationOut:
    grant = delegations.Grant(
        body.office,
        body.deputy,
        body.starts_on,
        body.ends_on,
        tuple(body.acts),
        body.signing_form,
        body.reason,
    )
    made = await run_in_threadpool(delegations.grant, runtime, user, grant, idempotency_key)
    return DelegationOut.of(made)


@router.get("", summary="Every delegation, revoked ones too", response_model=DelegationList)
async def listed(runtime: RuntimeDep, user: CurrentUser) -> DelegationList:
    found = await run_in_threadpool(runtime.delegations.all)
    return DelegationList(items=[DelegationOut.of(d) for d in found])


@router.post(
    "/{delegation_id}/revoke",
    summary="Revoke a delegation from today (its holder or an admin)",
    response_model=DelegationOut,
)
async def revoke(
    delegation_id: str,
    body: RevocationIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> DelegationOut:
    revoked = await run_in_threadpool(
        delegations.revoke, runtime, user, delegation_id, body.reason, idempotency_key
    )
    return DelegationOut.of(revoked)
