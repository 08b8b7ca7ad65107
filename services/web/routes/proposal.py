"""The proposal page: its state, dossier, votes (counts only), timeline and the viewer's steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.message import Message
from domain.proposal.aggregate import Proposal
from domain.proposal.forms import find_form
from domain.rulebook.defaults import KNOWN_FORMS
from services.application.dossier import DOCUMENT_KINDS
from services.application.views import proposal_view
from services.audit.event_descriptions import DirectoryPeople
from services.audit.record import replay
from services.i18n.labels import VIETNAM
from services.runtime import Runtime
from services.web.deps import RuntimeDep, ViewerDep, visible_proposal
from services.web.nominations import new_key, next_free_number
from services.web.offers import offers
from services.web.rendering import page
from services.web.session import Viewer

router = APIRouter(include_in_schema=False)

# Notices after a step, by the code in the address: fixed sentences only.
DONE = {
    "created": "The draft is saved. Attach the dossier, then submit it.",
    "pending": "The draft is saved; its approval process starts by itself when the process"
    " service is back. You can go on completing the dossier.",
    "uploaded": "The document is attached to the dossier.",
    "submitted": "The dossier is submitted.",
    "withdrawn": "The proposal is withdrawn.",
    "appraised": "The appraisal is recorded.",
    "decided": "The decision is recorded.",
    "held": "The proposal is on hold.",
    "released": "The proposal is released from hold.",
}


def _timeline(runtime: Runtime, proposal: Proposal) -> list[dict[str, Any]]:
    steps = replay(runtime.app, proposal.id, DirectoryPeople(runtime.directory))
    return list(reversed(steps))  # newest first, as officials read a file's cover sheet


async def proposal_page(
    request: Request,
    runtime: Runtime,
    viewer: Viewer,
    proposal: Proposal,
    *,
    error: Message | None = None,
    status_code: int = 200,
    notice: str | None = None,
) -> HTMLResponse:
    view = proposal_view(proposal)
    offered = offers(viewer.user, view)
    timeline = await run_in_threadpool(_timeline, runtime, proposal)
    number = (
        await run_in_threadpool(next_free_number, runtime, datetime.now(VIETNAM).year)
        if offered.decide
        else ""
    )
    form = find_form(view["form"], KNOWN_FORMS)
    unit = await run_in_threadpool(runtime.directory.unit, view["proposing_unit"])
    return page(
        request,
        "proposal.html",
        viewer,
        viewer.language,
        status_code=status_code,
        p=view,
        award=form,
        offers=offered,
        timeline=timeline,
        error=error,
        notice=DONE.get(notice or ""),
        number=number,
        document_kinds=DOCUMENT_KINDS,
        unit_name=unit.name if unit else view["proposing_unit"],
        today=datetime.now(VIETNAM).date().isoformat(),
        key=new_key(),  # one per rendering: a form posted twice is applied once
        returned_reason=view["returns"][-1]["reason"] if view["returns"] else "",
    )


@router.get("/proposals/{proposal_id}")
async def show(
    request: Request,
    proposal_id: str,
    runtime: RuntimeDep,
    viewer: ViewerDep,
    done: str | None = None,
) -> Response:
    proposal = await visible_proposal(runtime, viewer, proposal_id)
    return await proposal_page(request, runtime, viewer, proposal, notice=done)
