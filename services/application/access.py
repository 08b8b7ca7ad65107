"""Who may see and change a proposal: by role, by unit and by cluster (every entry point asks
these, so the API and the pages answer alike)."""

from __future__ import annotations

from domain.kernel.actor import Role
from domain.proposal.aggregate import Proposal
from services.application.directory import User

# VUSTA's own people see every proposal; the others see their unit's or their cluster's.
CENTRAL_ROLES = (
    Role.COUNCIL_SECRETARY,
    Role.COUNCIL_MEMBER,
    Role.PRESIDENT,
    Role.AUDITOR,
    Role.ADMIN,
)


def can_view(user: User, proposal: Proposal) -> bool:
    if user.has(*CENTRAL_ROLES):
        return True
    if user.has(Role.PROPOSER) and user.unit_id == proposal.proposing_unit:
        return True
    return user.has(Role.CLUSTER_MEMBER) and user.cluster_id == proposal.cluster


def can_change(user: User, proposal: Proposal) -> bool:
    """Only a proposer of the proposing unit changes the dossier, submits or withdraws."""
    return user.has(Role.PROPOSER) and user.unit_id == proposal.proposing_unit


def can_vote_in_cluster(user: User, proposal: Proposal) -> bool:
    """A member unit of the proposal's cluster (the workflow refuses one on its own proposal)."""
    return user.cluster_id == proposal.cluster and bool(user.unit_id)
