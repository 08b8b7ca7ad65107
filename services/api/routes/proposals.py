"""/api/proposals: create drafts, list and read them, their history and state as of a moment."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from domain.kernel.message import Message
from services.api.access import visible_proposal
from services.api.params import CurrentUser, IdempotencyKey, Proposer, RuntimeDep
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
from services.api.schemas.proposals import (
    DraftPending,
    History,
    ProposalCreate,
    ProposalPage,
    ProposalView,
)
from services.application.drafts import Draft, NotInAClusterUnit, create_draft
from services.application.views import proposal_view

router = APIRouter(prefix="/api/proposals", tags=["proposals"])

# Both languages in the body: a client shows the one it needs (a problem negotiates instead).
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
    response_model=ProposalView,
    response_model_exclude_unset=True,
    responses={
        200: {
            "model": ProposalView,
            "description": "The draft made earlier with the same Idempotency-Key, unchanged",
        },
        202: {
            "model": DraftPending,
            "description": "The draft is saved; its process starts by itself when Temporal is"
            " back (do not create it again)",
        },
    },
)
async def create_proposal(
    body: ProposalCreate,
    response: Response,
    user: Proposer,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> ProposalView | JSONResponse:
    draft = Draft(
        form=body.form,
        year=body.year,
        nominee=body.nominee.model_dump(exclude_none=True),
        title=body.title,
        summary=body.summary,
    )
    try:
        saved = await create_draft(runtime, user, draft, idempotency_key)
    except NotInAClusterUnit:
        raise Problem(
            403,
            "forbidden",
            Message("{user} does not belong to a cluster's unit", user=user.username),
        ) from None
    location = {"Location": f"/api/proposals/{saved.proposal.id}"}
    view = proposal_view(saved.proposal)
    if saved.process_pending:
        pending = DraftPending.model_validate({**view, "process": "pending", **PROCESS_PENDING})
        body_json = pending.model_dump(mode="json", exclude_unset=True)
        return JSONResponse(body_json, status_code=202, headers=location)
    response.headers.update(location)
    if not saved.created:
        response.status_code = 200
    return ProposalView.model_validate(view)


@router.get(
    "",
    summary="List proposals the caller may see",
    description="Eventually consistent: a change shows within a fraction of a second.",
    response_model=ProposalPage,
    response_model_exclude_unset=True,
)
async def list_proposals(
    user: CurrentUser,
    runtime: RuntimeDep,
    state: StateFilter = None,
    cluster: ClusterFilter = None,
    year: YearFilter = None,
    form: FormFilter = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> ProposalPage:
    filters = {"state": state, "cluster": cluster, "year": year, "form": form}
    found = await run_in_threadpool(runtime.summaries.search, user, filters, page, page_size)
    return ProposalPage.model_validate(found, from_attributes=True)


@router.get(
    "/{proposal_id}",
    summary="One proposal, now or as of a past moment",
    response_model=ProposalView,
    response_model_exclude_unset=True,
)
async def get_proposal(
    proposal_id: str, user: CurrentUser, runtime: RuntimeDep, as_of: MaybeMoment = None
) -> ProposalView:
    proposal = await visible_proposal(runtime, user, proposal_id)
    # The organisation of the proposal's year, never today's: a regrouping leaves it as it was.
    org_year = await run_in_threadpool(runtime.organisation.year_in_force, proposal.year)
    if as_of is None:
        view = proposal_view(proposal)
        return ProposalView.model_validate({**view, "organisation_year": org_year})
    # Not yet created at that moment: ProposalNotFound, a 404 answered app-wide.
    past = await run_in_threadpool(runtime.app.proposal, proposal.id, as_of)
    view = {**proposal_view(past), "organisation_year": org_year, "as_of": as_of}
    return ProposalView.model_validate(view)


@router.get(
    "/{proposal_id}/history",
    summary="Every event of the proposal, in order",
    response_model=History,
    response_model_exclude_unset=True,
)
async def get_history(proposal_id: str, user: CurrentUser, runtime: RuntimeDep) -> History:
    proposal = await visible_proposal(runtime, user, proposal_id)
    events = await run_in_threadpool(runtime.app.history, proposal.id)
    return History.model_validate({"id": str(proposal.id), "events": events})
