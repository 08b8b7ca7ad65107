"""/api/inbox and /api/me: what the caller must act on now, and who the caller is."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from services.api.params import CurrentUser, RuntimeDep
from services.api.schemas.people import Inbox, Me
from services.i18n.labels import state_label

router = APIRouter(prefix="/api", tags=["inbox"])


@router.get(
    "/inbox",
    summary="Proposals waiting for the caller",
    description="Eventually consistent: a change shows within a fraction of a second.",
    response_model=Inbox,
    response_model_exclude_unset=True,
)
async def inbox(user: CurrentUser, runtime: RuntimeDep) -> Inbox:
    items = await run_in_threadpool(runtime.summaries.inbox, user)
    return Inbox.model_validate(
        {"items": [{**item, "state_label": state_label(item["state"])} for item in items]}
    )


@router.get("/me", summary="The calling user, roles and cluster", response_model=Me)
async def me(user: CurrentUser) -> Me:
    return Me(
        username=user.username,
        full_name=user.full_name,
        roles=list(user.roles),
        unit=user.unit_id,
        cluster=user.cluster_id,
    )
