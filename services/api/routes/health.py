"""/health: is the database reachable, is Temporal answering, are the read models whole
(no authentication)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from services.api.deps import get_runtime
from services.i18n.catalogue import Language, negotiate, render
from services.projections.proposal_list import ProjectionStatus
from services.runtime import Runtime

router = APIRouter(tags=["health"])


def _projection(status: ProjectionStatus, language: Language) -> dict[str, Any]:
    report: dict[str, Any] = {
        "status": "ok" if not status.failures else "degraded",
        "position": status.position,
        "head": status.head,
    }
    if status.detail is not None:
        report["failures"] = len(status.failures)
        report["detail"] = render(status.detail, language)
    return report


@router.get("/health", summary="Liveness and dependencies")
async def health(request: Request, runtime: Runtime = Depends(get_runtime)) -> JSONResponse:
    checks: dict[str, Any] = {}
    projections: dict[str, Any] = {}
    try:
        await run_in_threadpool(runtime.directory.clusters)
        checks["database"] = "ok"
        status = await run_in_threadpool(runtime.summaries.status)
        language = negotiate(request.headers.get("accept-language"))
        projections[status.name] = _projection(status, language)
    except Exception as error:  # any failure means unhealthy, reported not raised
        checks["database"] = f"error: {type(error).__name__}"
    try:
        await runtime.process.ping()
        checks["temporal"] = "ok"
    except Exception as error:
        checks["temporal"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    whole = all(report["status"] == "ok" for report in projections.values())
    # A projection that skipped an event still serves every reader: degraded, yet answering
    # 200 so that load balancers keep the instance; a dependency away is a 503.
    return JSONResponse(
        {
            "status": "ok" if healthy and whole else "degraded",
            "checks": checks,
            "projections": projections,
        },
        status_code=200 if healthy else 503,
    )
