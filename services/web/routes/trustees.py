"""The trustee's page: the sealed counts waiting for a share, and the command that gives one."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from services.application.directory import User
from services.application.proposals import ProposalNotFound
from services.runtime import Runtime
from services.web.deps import RuntimeDep, ViewerDep, need
from services.web.rendering import page

router = APIRouter(include_in_schema=False)
# Trustees of the election key are council members (and the secretary who keeps the count).
TRUSTEES = ("council_member", "council_secretary")


@dataclass(frozen=True)
class WaitingCount:
    """A sealed vote whose count waits for trustees' shares."""

    proposal_id: str
    title: str
    stage: str
    ballots: int
    shares_given: int
    shares_missing: int
    threshold: int
    trustees: int
    key_fingerprint: str


def waiting_counts(runtime: Runtime, user: User) -> list[WaitingCount]:
    counts = []
    for item in runtime.summaries.inbox(user):
        if not item.get("counting"):
            continue
        try:
            proposal = runtime.app.proposal(UUID(str(item["id"])))
        except ProposalNotFound:
            continue
        for stage, vote in proposal.votes.items():
            if not vote.counting:
                continue
            key = vote.key()
            counts.append(
                WaitingCount(
                    proposal_id=str(proposal.id),
                    title=proposal.title,
                    stage=stage,
                    ballots=vote.ballots,
                    shares_given=len(vote.shares),
                    shares_missing=vote.shares_missing,
                    threshold=key.threshold,
                    trustees=key.trustees,
                    key_fingerprint=key.fingerprint,
                )
            )
    return counts


@router.get("/trustee")
async def trustee(request: Request, runtime: RuntimeDep, viewer: ViewerDep) -> Response:
    need(viewer, *TRUSTEES)
    counts = await run_in_threadpool(waiting_counts, runtime, viewer.user)
    # The address the trustee's own machine reaches the API at: the one this page came from.
    api = str(request.base_url).rstrip("/")
    return page(request, "trustee.html", viewer, viewer.language, counts=counts, api=api)
