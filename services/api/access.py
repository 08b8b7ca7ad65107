"""Who may see and act on a proposal: by role, by unit and by cluster.

A proposal outside the caller's reach is answered exactly like one that does not exist (404),
on every route: its id, nominee and progress are not told to another cluster or unit. A 403
is for a caller who may see the proposal but lacks the role or unit for the step, or for a
role check made before the proposal is looked up (which tells nothing about it)."""

from __future__ import annotations

from uuid import UUID

from starlette.concurrency import run_in_threadpool

from domain.kernel.message import Message
from domain.proposal.aggregate import Proposal
from services.api.problems import Problem
from services.application.directory import User
from services.application.proposals import ProposalNotFound
from services.runtime import Runtime

_CENTRAL_ROLES = ("council_secretary", "council_member", "president", "auditor", "admin")


def parse_id(proposal_id: str) -> UUID:
    try:
        return UUID(proposal_id)
    except ValueError:
        raise Problem(404, "not-found", Message("no proposal {id}", id=proposal_id)) from None


def can_view(user: User, proposal: Proposal) -> bool:
    if user.has(*_CENTRAL_ROLES):
        return True
    if user.has("proposer") and user.unit_id == proposal.proposing_unit:
        return True
    return user.has("cluster_member") and user.cluster_id == proposal.cluster


async def visible_proposal(runtime: Runtime, user: User, proposal_id: str) -> Proposal:
    """Load a proposal the caller may see; one they may not see is answered as not found."""
    pid = parse_id(proposal_id)
    try:
        proposal = await run_in_threadpool(runtime.app.proposal, pid)
    except ProposalNotFound:
        raise Problem(404, "not-found", Message("no proposal {id}", id=proposal_id)) from None
    if not can_view(user, proposal):
        raise Problem(404, "not-found", Message("no proposal {id}", id=proposal_id))
    return proposal


def ensure_proposer(user: User, proposal: Proposal) -> None:
    if not user.has("proposer") or user.unit_id != proposal.proposing_unit:
        raise Problem(
            403,
            "forbidden",
            f"only a proposer of {proposal.proposing_unit} may change this proposal",
        )


def ensure_cluster_voter(user: User, proposal: Proposal) -> None:
    if user.cluster_id != proposal.cluster or not user.unit_id:
        raise Problem(403, "forbidden", f"only members of {proposal.cluster} vote on this proposal")
