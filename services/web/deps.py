"""What every page needs: the runtime, the signed-in viewer, posted forms checked for CSRF."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from domain.kernel.message import Message
from domain.proposal.aggregate import Proposal
from services.api.text import forbidden_character
from services.application.access import can_view
from services.application.accounts import Accounts
from services.application.proposals import ProposalNotFound
from services.runtime import Runtime
from services.web.session import CSRF_FIELD, Viewer, check_csrf, viewer_of


class PageError(Exception):
    """A page that cannot be shown: its status and the sentence the viewer reads."""

    def __init__(self, status: int, message: Message) -> None:
        self.status = status
        self.message = message
        super().__init__(message.render())


class FieldError(Exception):
    """A form field that cannot be taken as it is; the form is shown again with the reason."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render())


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_accounts(request: Request) -> Accounts:
    """Built at the first sign-in, so an application made only to print its OpenAPI document
    needs no database."""
    state = request.app.state
    if getattr(state, "accounts", None) is None:
        runtime = get_runtime(request)
        accounts = Accounts(runtime.app, runtime.pool, runtime.directory)
        accounts.ensure_schema()
        state.accounts = accounts
    built: Accounts = state.accounts
    return built


async def get_viewer(request: Request) -> Viewer:
    return await run_in_threadpool(viewer_of, request, get_runtime(request))


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
AccountsDep = Annotated[Accounts, Depends(get_accounts)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]


async def posted(request: Request, viewer: Viewer) -> FormData:
    """The submitted form, refused unless it carries this session's CSRF token."""
    form = await request.form()
    check_csrf(viewer.csrf, form.get(CSRF_FIELD))
    return form


def need(viewer: Viewer, *roles: str) -> None:
    """A page of another role answers 403, said in words."""
    if viewer.role not in roles:
        raise PageError(403, Message("this page is for another role"))


def text(form: FormData, name: str, *, required: bool = False, limit: int = 5_000) -> str:
    """A text field, stripped, CR LF as LF; control characters and overlong text refused."""
    value = form.get(name)
    if isinstance(value, UploadFile):
        raise FieldError(Message("the field {field} must be text", field=name))
    return checked(value or "", name, required=required, limit=limit)


def checked(value: str, name: str, *, required: bool = False, limit: int = 5_000) -> str:
    cleaned = value.replace("\r\n", "\n").strip()
    character = forbidden_character(cleaned)
    if character is not None:
        raise FieldError(
            Message(
                "the field {field} must not contain the control character {character}",
                field=name,
                character=character,
            )
        )
    if required and not cleaned:
        raise FieldError(Message("the field {field} is required", field=name))
    if len(cleaned) > limit:
        raise FieldError(
            Message(
                "the field {field} may hold at most {count} characters", field=name, count=limit
            )
        )
    return cleaned


async def visible_proposal(runtime: Runtime, viewer: Viewer, proposal_id: str) -> Proposal:
    """A proposal the viewer may see; any other reads as not found, as in the API."""
    missing = PageError(404, Message("no proposal {id}", id=proposal_id))
    try:
        pid = UUID(proposal_id)
        proposal = await run_in_threadpool(runtime.app.proposal, pid)
    except (ValueError, ProposalNotFound):
        raise missing from None
    if not can_view(viewer.user, proposal):
        raise missing
    return proposal
