"""/health: is the database reachable, is Temporal answering, are the read models whole
(no authentication)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from services.api.deps import get_runtime
from services.projections.proposal_list import ProjectionStatus
from services.runtime import Runtime

router = APIRouter(tags=["health"])


def _projection(status: ProjectionStatus) -> dict[str, Any]:
    report: dict[str, Any] = {
        "status": "ok" if not status.failures else "degraded",
        "position": status.position,
        "head": status.head,
    }
    if status.failures:
        first = status.failures[0]
        report["failures"] = len(status.failures)
        report["detail"] = (
            f"{len(status.failures)} sự kiện không đưa được vào {status.name}, đầu tiên là"
            f" notification {first.notification_id}; chạy `awards projections status`."
            f" / {len(status.failures)} event(s) could not be applied to {status.name}, the"
            f" first at notification {first.notification_id}; see `awards projections status`."
        )
    return report


@router.get("/health", summary="Liveness and dependencies")
async def health(runtime: Runtime = Depends(get_runtime)) -> JSONResponse:
    checks: dict[str, Any] = {}
    projections: dict[str, Any] = {}
    try:
        await run_in_threadpool(runtime.directory.clusters)
        checks["database"] = "ok"
        status = await run_in_threadpool(runtime.summaries.status)
        projections[status.name] = _projection(status)
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
