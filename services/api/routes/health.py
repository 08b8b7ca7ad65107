"""/health: is the database reachable, is Temporal answering, are the read models whole
(no authentication)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.api.params import RuntimeDep
from services.api.schemas.health import Health, ProjectionHealth
from services.application.health import health as check_health
from services.projections.proposal_list import ProjectionStatus

router = APIRouter(tags=["health"])


def _projection(status: ProjectionStatus) -> ProjectionHealth:
    if not status.failures:
        return ProjectionHealth(status="ok", position=status.position, head=status.head)
    first, count = status.failures[0], len(status.failures)
    # For an operator: both languages at once, as the log and `awards projections status` do.
    return ProjectionHealth(
        status="degraded",
        position=status.position,
        head=status.head,
        failures=count,
        detail=f"{count} sự kiện không đưa được vào {status.name}, đầu tiên là"
        f" notification {first.notification_id}; chạy `awards projections status`."
        f" / {count} event(s) could not be applied to {status.name}, the"
        f" first at notification {first.notification_id}; see `awards projections status`.",
    )


@router.get(
    "/health",
    summary="Liveness and dependencies",
    response_model=Health,
    response_model_exclude_unset=True,
    responses={503: {"model": Health, "description": "The database or Temporal is away"}},
)
async def health(runtime: RuntimeDep) -> Health | JSONResponse:
    found = await check_health(runtime)
    answer = Health(
        # A projection that skipped an event still serves every reader: degraded, yet 200 so
        # that load balancers keep the instance; a dependency away is a 503.
        status="ok" if found.reachable and found.whole else "degraded",
        checks=found.checks,
        projections={status.name: _projection(status) for status in found.projections},
    )
    if found.reachable:
        return answer
    return JSONResponse(answer.model_dump(mode="json", exclude_unset=True), status_code=503)
