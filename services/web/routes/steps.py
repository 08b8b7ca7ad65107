"""The steps taken from the proposal page: each posts a form, calls the same use case as the
API, then shows the proposal again (a ballot shows its receipt instead, and never the choice)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from domain.proposal.aggregate import Proposal
from domain.proposal.states import VoteStage
from services.application import steps, voting
from services.application.process import ProcessClosed, ProcessUnavailable, StepRefused
from services.runtime import Runtime
from services.web.deps import (
    FieldError,
    RuntimeDep,
    ViewerDep,
    checked,
    need,
    posted,
    text,
    visible_proposal,
)
from services.web.nominations import Upload, attach
from services.web.rendering import page
from services.web.routes.proposal import proposal_page
from services.web.session import Viewer

router = APIRouter(prefix="/proposals/{proposal_id}", include_in_schema=False)
Action = Callable[[Proposal, FormData], Awaitable[str]]


def refusal_of(error: Exception) -> tuple[int, Message]:
    """Why a step was not taken, as the viewer reads it, and the status of the page."""
    if isinstance(error, FieldError):
        return 422, error.message
    if isinstance(error, StepRefused):
        return 409, error.message
    if isinstance(error, DomainError):
        return (422 if error.code == "invalid-input" else 409), error.message
    if isinstance(error, ProcessClosed):
        return 409, Message("the process of this proposal has ended")
    return 503, Message("the process service is not answering; nothing was done, try again")


async def _step(
    request: Request, runtime: Runtime, viewer: Viewer, proposal_id: str, action: Action
) -> Response:
    proposal = await visible_proposal(runtime, viewer, proposal_id)
    form = await posted(request, viewer)
    try:
        done = await action(proposal, form)
    except (FieldError, DomainError, StepRefused, ProcessClosed, ProcessUnavailable) as error:
        status, message = refusal_of(error)
        return await proposal_page(
            request, runtime, viewer, proposal, error=message, status_code=status
        )
    return RedirectResponse(f"/proposals/{proposal.id}?done={done}", status_code=303)


def _key(form: FormData) -> str | None:
    return text(form, "key", limit=200) or None


@router.post("/documents")
async def upload(
    request: Request, proposal_id: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    need(viewer, "proposer")

    async def act(proposal: Proposal, form: FormData) -> str:
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            raise FieldError(Message("choose a file to attach"))
        content = await file.read(runtime.settings.document_max_bytes + 1)
        media_type = (file.content_type or "").split(";")[0].strip().lower()
        kind = text(form, "kind", required=True, limit=50)
        name = checked(file.filename, "file", limit=255)
        await attach(runtime, proposal, viewer.user, Upload(kind, name, media_type, content))
        return "uploaded"

    return await _step(request, runtime, viewer, proposal_id, act)


@router.post("/submit")
async def submit(
    request: Request, proposal_id: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    need(viewer, "proposer")

    async def act(proposal: Proposal, form: FormData) -> str:
        comment = text(form, "comment")
        await steps.submit(runtime, proposal, viewer.user, comment, _key(form))
        return "submitted"

    return await _step(request, runtime, viewer, proposal_id, act)


@router.post("/withdraw")
async def withdraw(
    request: Request, proposal_id: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    need(viewer, "proposer")

    async def act(proposal: Proposal, form: FormData) -> str:
        reason = text(form, "reason", required=True)
        await steps.withdraw(runtime, proposal, viewer.user, reason, _key(form))
        return "withdrawn"

    return await _step(request, runtime, viewer, proposal_id, act)


@router.post("/appraisal")
async def appraisal(
    request: Request, proposal_id: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    need(viewer, "council_secretary")

    async def act(proposal: Proposal, form: FormData) -> str:
        action = text(form, "action", required=True, limit=20)
        if action not in ("approve", "return"):
            raise FieldError(Message("choose approve or return"))
        reason = text(form, "reason", required=action == "return")
        await steps.appraise(runtime, proposal, viewer.user, action, reason, _key(form))
        return "appraised"

    return await _step(request, runtime, viewer, proposal_id, act)


@router.post("/decision")
async def decision(
    request: Request, proposal_id: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    need(viewer, "president")

    async def act(proposal: Proposal, form: FormData) -> str:
        outcome = text(form, "outcome", required=True, limit=20)
        if outcome not in ("awarded", "rejected"):
            raise FieldError(Message("choose whether to award"))
        number = text(form, "number", required=True, limit=50)
        try:
            decided_on = date.fromisoformat(text(form, "decided_on", required=True, limit=10))
        except ValueError:
            raise FieldError(Message("the decision date is not a date")) from None
        reason = text(form, "reason")
        decided = steps.Decision(outcome, number, decided_on, reason)
        await steps.decide(runtime, proposal, viewer.user, decided, _key(form))
        return "decided"

    return await _step(request, runtime, viewer, proposal_id, act)


def _hold_step(name: str, done: str) -> Callable[..., Awaitable[Response]]:
    async def route(
        request: Request, proposal_id: str, runtime: RuntimeDep, viewer: ViewerDep
    ) -> Response:
        need(viewer, "council_secretary", "admin")

        async def act(proposal: Proposal, form: FormData) -> str:
            reason = text(form, "reason", required=True)
            use_case = steps.hold if name == "hold" else steps.release
            await use_case(runtime, proposal, viewer.user, reason, _key(form))
            return done

        return await _step(request, runtime, viewer, proposal_id, act)

    return route


router.post("/hold")(_hold_step("hold", "held"))
router.post("/release")(_hold_step("release", "released"))


@router.post("/ballot")
async def ballot(
    request: Request, proposal_id: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    """The receipt and tracker are shown once, here; the choice is in no page, log or store."""
    need(viewer, "cluster_member", "council_member")
    proposal = await visible_proposal(runtime, viewer, proposal_id)
    form = await posted(request, viewer)
    stage = VoteStage.CLUSTER if viewer.role == "cluster_member" else VoteStage.COUNCIL
    try:
        choice = text(form, "choice", required=True, limit=10)
        if choice not in ("yes", "no", "abstain"):
            raise FieldError(Message("choose yes, no or abstain"))
        cast = voting.Ballot(stage, choice, None)
        taken = await voting.cast_ballot(runtime, proposal, viewer.user, cast, _key(form))
    except (FieldError, DomainError, StepRefused, ProcessClosed, ProcessUnavailable) as error:
        status, message = refusal_of(error)
        return await proposal_page(
            request, runtime, viewer, proposal, error=message, status_code=status
        )
    return page(
        request,
        "receipt.html",
        viewer,
        viewer.language,
        proposal_id=str(proposal.id),
        title=proposal.title,
        stage=stage.value,
        tracker=taken.tracker,
        receipt=taken.receipt,
    )
