"""/health: is the database reachable, is Temporal answering, are the read models whole
(no authentication)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.api.params import RuntimeDep
from services.api.schemas.health import Health, ProjectionHealth
from services.application.health import health as check_health
from services.i18n.catalogue import Language, negotiate, render
from services.projections.proposal_list import ProjectionStatus

router = APIRouter(tags=["health"])


def _projection(status: ProjectionStatus, language: Language) -> ProjectionHealth:
    if status.detail is None:
        return ProjectionHealth(status="ok", position=status.position, head=status.head)
    return ProjectionHealth(
        status="degraded",
        position=status.position,
        head=status.head,
        failures=len(status.failures),
        detail=render(status.detail, language),
    )


@router.get(
    "/health",
    summary="Liveness and dependencies",
    response_model=Health,
    response_model_exclude_unset=True,
    responses={503: {"model": Health, "description": "The database or Temporal is away"}},
)
async def health(request: Request, runtime: RuntimeDep) -> Health | JSONResponse:
    found = await check_health(runtime)
    language = negotiate(request.headers.get("accept-language"))
    answer = Health(
        # A projection that skipped an event still serves every reader: degraded, yet 200 so
        # that load balancers keep the instance; a dependency away is a 503.
        status="ok" if found.reachable and found.whole else "degraded",
        checks=found.checks,
        projections={s.name: _projection(s, language) for s in found.projections},
    )
    if found.reachable:
        return answer
    return JSONResponse(answer.model_dump(mode="json", exclude_unset=True), status_code=503)
