"""The notification feed: what changed on the viewer's proposals, newest first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from services.web.deps import RuntimeDep, ViewerDep
from services.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/feed")
async def feed(request: Request, runtime: RuntimeDep, viewer: ViewerDep) -> Response:
    items = await run_in_threadpool(runtime.feed.items, viewer.user)
    return page(request, "feed.html", viewer, viewer.language, items=items)
