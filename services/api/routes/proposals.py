"""/api/proposals: create drafts, list and read them, their history and state as of a moment."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

import psycopg
from fastapi import APIRouter, Depends, Header, Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.actor import Actor
from domain.proposal.forms import find_form
from services.api.access import visible_proposal
from services.api.deps import current_user, get_runtime, require
from services.api.problems import Problem
from services.api.query import (
    ClusterFilter,
    FormFilter,
    MaybeMoment,
    Page,
    PageSize,
    StateFilter,
    YearFilter,
)
from services.api.schemas import ProposalCreate
from services.application.directory import User
from services.application.process import ProcessUnavailable
from services.application.process_starter import ProcessStarts
from services.application.proposals import ProposalNotFound, proposal_id_for
from services.application.views import proposal_view
from services.runtime import Runtime

router = APIRouter(prefix="/api/proposals", tags=["proposals"])


PROCESS_PENDING = {
    "message": "Đã lưu bản dự thảo. Quy trình xét duyệt sẽ tự khởi động khi Temporal hoạt động"
    " trở lại; có thể tiếp tục hoàn thiện hồ sơ.",
    "message_en": "The draft is saved. Its approval process will start by itself when Temporal"
    " is back; you can go on completing the dossier.",
}


@router.post(
    "",
    status_code=201,
    summary="Create a draft proposal (nomination)",
    responses={
        202: {"description": "The draft is saved; its process starts when Temporal is back"}
    },
)
async def create_proposal(
    body: ProposalCreate,
    response: Response,
    user: User = Depends(require("proposer")),
    runtime: Runtime = Depends(get_runtime),
    idempotency_key: str | None = Header(default=None, max_length=200),
) -> dict[str, Any]:
    form = find_form(body.form)
    unit = await run_in_threadpool(runtime.directory.unit, user.unit_id or "")
    if unit is None or unit.cluster_id is None:
        raise Problem(403, "forbidden", f"{user.username} does not belong to a cluster's unit")
    actor = Actor(user.username, "proposer")
    key = idempotency_key or datetime.now(UTC).isoformat() + user.username
    proposal, created = await run_in_threadpool(
        lambda: runtime.app.nominate(
            proposal_id=proposal_id_for(actor, key),
            form=form,
            year=body.year,
            proposing_unit=unit.id,
            cluster=unit.cluster_id or "",
            nominee=body.nominee.model_dump(exclude_none=True),
            title=body.title,
            summary=body.summary,
            actor=actor,
            key=f"create:{key}",
        )
    )
    response.headers["Location"] = f"/api/proposals/{proposal.id}"
    try:
        await runtime.process.start(str(proposal.id), proposal.form, proposal.cluster_vote_required)
    except ProcessUnavailable:
        # The draft is stored: say so, and let the worker's process starter start it later
        # (a 503 here made clients retry and store a second draft).
        response.status_code = 202
        return {**proposal_view(proposal), "process": "pending", **PROCESS_PENDING}
    # Only spares the process starter a call: the draft and its process exist either way.
    with contextlib.suppress(psycopg.Error):
        await run_in_threadpool(ProcessStarts(runtime.pool).record, proposal.id)
    if not created:
        response.status_code = 200
    return proposal_view(proposal)


@router.get(
    "",
    summary="List proposals the caller may see",
    description="Eventually consistent: a change shows within a fraction of a second.",
)
async def list_proposals(
    user: User = Depends(current_user),
    runtime: Runtime = Depends(get_runtime),
    state: StateFilter = None,
    cluster: ClusterFilter = None,
    year: YearFilter = None,
    form: FormFilter = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    filters = {"state": state, "cluster": cluster, "year": year, "form": form}
    found = await run_in_threadpool(runtime.summaries.search, user, filters, page, page_size)
    return {
        "items": found.items,
        "total": found.total,
        "page": found.page,
        "page_size": found.page_size,
    }


@router.get("/{proposal_id}", summary="One proposal, now or as of a past moment")
async def get_proposal(
    proposal_id: str,
    user: User = Depends(current_user),
    runtime: Runtime = Depends(get_runtime),
    as_of: MaybeMoment = None,
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    if as_of is None:
        return proposal_view(proposal)
    try:
        past = await run_in_threadpool(runtime.app.proposal, proposal.id, as_of)
    except ProposalNotFound as error:
        raise Problem(404, "not-found", str(error)) from None
    return {**proposal_view(past), "as_of": as_of}


@router.get("/{proposal_id}/history", summary="Every event of the proposal, in order")
async def get_history(
    proposal_id: str,
    user: User = Depends(current_user),
    runtime: Runtime = Depends(get_runtime),
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    events = await run_in_threadpool(runtime.app.history, proposal.id)
    return {"id": str(proposal.id), "events": events}
