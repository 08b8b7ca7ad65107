"""/api/inbox and /api/me: what the caller must act on now, and who the caller is."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from services.api.deps import current_user, get_runtime
from services.application.directory import User
from services.i18n.labels import state_label
from services.runtime import Runtime

router = APIRouter(prefix="/api", tags=["inbox"])


@router.get(
    "/inbox",
    summary="Proposals waiting for the caller",
    description="Eventually consistent: a change shows within a fraction of a second.",
)
async def inbox(
    user: User = Depends(current_user), runtime: Runtime = Depends(get_runtime)
) -> dict[str, Any]:
    items = await run_in_threadpool(runtime.summaries.inbox, user)
    return {"items": [{**item, "state_label": state_label(item["state"])} for item in items]}


@router.get("/me", summary="The calling user, roles and cluster")
async def me(user: User = Depends(current_user)) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "roles": user.roles,
        "unit": user.unit_id,
        "cluster": user.cluster_id,
    }
