"""The read models opened by a command run outside the service: to rebuild them, or see them."""

from __future__ import annotations

from infra.postgres import connection_pool, schema_lock
from services.application.award_register import AwardRegister
from services.projections.log_follower import LogFollower
from services.projections.proposal_list import ProposalSummaries
from services.runtime import build_application


def open_projections(database_url: str) -> tuple[ProposalSummaries, LogFollower]:
    """The proposal list (its tables created if need be) and a follower of the event log."""
    pool = connection_pool(database_url, max_size=2)
    summaries = ProposalSummaries(pool)
    summaries.ensure_schema()
    return summaries, LogFollower(pool, build_application(database_url))


def open_register(database_url: str) -> AwardRegister:
    """The award register (its tables created if need be) for a command run outside the service."""
    pool = connection_pool(database_url, max_size=2)
    register = AwardRegister(pool, build_application(database_url))
    with schema_lock(database_url):
        register.ensure_schema()
    return register
