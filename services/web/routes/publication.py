"""The public page of nominees published for feedback (no sign-in), and the complaint form:
posting one needs a sign-in, as the API does."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from domain.proposal.complaints import ComplaintKind
from services.application import complaints, publication
from services.application.process import ProcessClosed, ProcessUnavailable, StepRefused
from services.application.proposals import ProposalNotFound
from services.web.deps import FieldError, PageError, RuntimeDep, ViewerDep, posted, text
from services.web.nominations import new_key
from services.web.rendering import page
from services.web.routes.steps import refusal_of
from services.web.session import (
    SignInNeeded,
    Viewer,
    keep_sign_in_token,
    language_of,
    sign_in_token,
    viewer_of,
)

router = APIRouter(include_in_schema=False)
PAGE = "/public/nominees"


async def _public_page(
    request: Request,
    runtime: RuntimeDep,
    notice: str | None = None,
    error: Message | None = None,
    status_code: int = 200,
) -> Response:
    try:
        viewer: Viewer | None = await run_in_threadpool(viewer_of, request, runtime)
    except SignInNeeded:
        viewer = None
    nominees = await run_in_threadpool(publication.public_nominees, runtime)
    token = sign_in_token(request)
    response = page(
        request,
        "public_nominees.html",
        viewer,
        viewer.language if viewer else language_of(request),
        status_code=status_code,
        token=token,
        nominees=nominees,
        notice=notice,
        key=new_key(),
        error=error,
    )
    keep_sign_in_token(response, request, runtime, token)
    return response


@router.get(PAGE)
async def public_nominees(
    request: Request, runtime: RuntimeDep, done: str | None = None
) -> Response:
    return await _public_page(request, runtime, notice=done)


@router.post(PAGE + "/{proposal_id}/complaints")
async def complain(
    request: Request, proposal_id: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    form = await posted(request, viewer)
    try:
        proposal = await run_in_threadpool(runtime.app.proposal, _id(proposal_id))
    except ProposalNotFound:
        raise PageError(404, Message("no proposal {id}", id=proposal_id)) from None
    try:
        kind = ComplaintKind(text(form, "kind") or "complaint")
        lodging = complaints.Lodging(kind, text(form, "text", required=True, limit=10_000))
        key = f"{viewer.user.username}:{text(form, 'key', limit=200) or new_key()}"
        await complaints.lodge(runtime, proposal, viewer.user, lodging, key)
    except ValueError:
        return await _public_page(
            request, runtime, error=Message("unknown kind of complaint"), status_code=422
        )
    except (FieldError, DomainError, StepRefused, ProcessClosed, ProcessUnavailable) as error:
        status, message = refusal_of(error)
        return await _public_page(request, runtime, error=message, status_code=status)
    return RedirectResponse(f"{PAGE}?done=complaint", status_code=303)


def _id(proposal_id: str) -> UUID:
    try:
        return UUID(proposal_id)
    except ValueError:
        raise PageError(404, Message("no proposal {id}", id=proposal_id)) from None
