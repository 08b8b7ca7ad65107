"""The access rules of services/application/access.py as answers.

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
from services.application.access import can_change, can_view, can_vote_in_cluster
from services.application.directory import User
from services.application.proposals import ProposalNotFound
from services.runtime import Runtime


def not_found(proposal_id: str) -> Problem:
    return Problem(404, "not-found", Message("no proposal {id}", id=proposal_id))


def parse_id(proposal_id: str) -> UUID:
    try:
        return UUID(proposal_id)
    except ValueError:
        raise not_found(proposal_id) from None


async def visible_proposal(runtime: Runtime, user: User, proposal_id: str) -> Proposal:
    """Load a proposal the caller may see; one they may not see is answered as not found."""
    pid = parse_id(proposal_id)
    try:
        proposal = await run_in_threadpool(runtime.app.proposal, pid)
    except ProposalNotFound:
        raise not_found(proposal_id) from None
    if not can_view(user, proposal):
        raise not_found(proposal_id)
    return proposal


def ensure_proposer(user: User, proposal: Proposal) -> None:
    if not can_change(user, proposal):
        raise Problem(
            403,
            "forbidden",
            Message(
                "only a proposer of {unit} may change this proposal", unit=proposal.proposing_unit
            ),
        )


def ensure_cluster_voter(user: User, proposal: Proposal) -> None:
    if not can_vote_in_cluster(user, proposal):
        raise Problem(
            403,
            "forbidden",
            Message("only members of {cluster} vote on this proposal", cluster=proposal.cluster),
        )
