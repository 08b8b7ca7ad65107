"""/health: is the database reachable and is Temporal answering (no authentication)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from services.api.deps import get_runtime
from services.runtime import Runtime

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and dependencies")
async def health(runtime: Runtime = Depends(get_runtime)) -> JSONResponse:
    checks: dict[str, Any] = {}
    try:
        await run_in_threadpool(runtime.directory.clusters)
        checks["database"] = "ok"
    except Exception as error:  # any failure means unhealthy, reported not raised
        checks["database"] = f"error: {type(error).__name__}"
    try:
        await runtime.process.ping()
        checks["temporal"] = "ok"
    except Exception as error:
        checks["temporal"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks},
        status_code=200 if healthy else 503,
    )
