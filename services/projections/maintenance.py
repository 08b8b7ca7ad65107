"""The read models opened by a command run outside the service: to rebuild them, or see them."""

from __future__ import annotations

from infra.postgres import connection_pool
from services.projections.log_follower import LogFollower
from services.projections.proposal_list import ProposalSummaries
from services.runtime import build_application


def open_projections(database_url: str) -> tuple[ProposalSummaries, LogFollower]:
    """The proposal list (its tables created if need be) and a follower of the event log."""
    pool = connection_pool(database_url, max_size=2)
    summaries = ProposalSummaries(pool)
    summaries.ensure_schema()
    return summaries, LogFollower(pool, build_application(database_url))
