"""Puts the pages into the FastAPI application: their routes, static files and error pages."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from domain.kernel.message import Message
from services.web.deps import PageError, get_runtime
from services.web.rendering import page
from services.web.routes import (
    admin,
    audit,
    cluster_year,
    feed,
    lists,
    nomination,
    organisation,
    proposal,
    publication,
    receipts,
    signin,
    steps,
    trustees,
    year_steps,
)
from services.web.session import CsrfRefused, SignInNeeded, language_of, viewer_of


def install(app: FastAPI) -> None:
    # nomination before proposal: /proposals/new is not a proposal id.
    routers = (
        *(signin, lists, feed, nomination, proposal, steps, receipts, audit, trustees, admin),
        *(organisation, cluster_year, year_steps, publication),
    )
    for module in routers:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(packages=[("services.web", "static")]), name="static")

    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, error: SignInNeeded) -> Response:
        target = request.url.path if request.method == "GET" else "/inbox"
        return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, error: CsrfRefused) -> Response:
        message = Message("this form has expired or came from another site; open the page again")
        return await _error_page(request, 403, message)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, error: PageError) -> Response:
        return await _error_page(request, error.status, error.message)


async def _error_page(request: Request, status: int, message: Message) -> Response:
    try:
        viewer = await run_in_threadpool(viewer_of, request, get_runtime(request))
    except SignInNeeded:
        viewer = None
    language = viewer.language if viewer else language_of(request)
    return page(request, "error.html", viewer, language, status_code=status, message=message)
