"""A Flag proposal lodged as one was before the rule conference_only, for the benchmarks.

A Flag is now proposed by its cluster's year-end conference and the API refuses it (409); old
Flag proposals keep the single-proposal cluster vote, and the benchmarks that time that vote
start from one made the old way: through the runtime they already build, untimed, as the API
did (the rulebook in force today, the proposer's unit and cluster, the process started)."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import today
from domain.proposal.aggregate import Proposal
from services.application.proposals import proposal_id_for
from services.runtime import Runtime

FLAG = "vusta_flag"


def _nominated(runtime: Runtime, proposer: str, title: str, nominee: dict[str, Any]) -> Proposal:
    user = runtime.directory.user(proposer)
    unit = runtime.directory.unit(user.unit_id or "") if user else None
    if unit is None or unit.cluster_id is None:
        raise ValueError(f"{proposer} is not a proposer of a cluster's member unit")
    version = runtime.rulebook.in_force(today())
    actor, key = Actor(proposer, Role.PROPOSER), f"bench-{uuid4()}"
    proposal, _ = runtime.app.nominate(
        proposal_id=proposal_id_for(actor, key),
        form=version.form(FLAG),
        year=2026,
        proposing_unit=unit.id,
        cluster=unit.cluster_id,
        nominee=nominee,
        title=title,  # its own per draft: one achievement earns one form
        summary="Dẫn đầu Cụm thi đua",
        actor=actor,
        key=f"create:{key}",
        rulebook_version=version.code,
    )
    return proposal


async def lodged_flag(runtime: Runtime, proposer: str, title: str, nominee: dict[str, Any]) -> str:
    """A draft Flag of ``proposer``'s unit with its process started; answers its id."""
    proposal = await asyncio.to_thread(_nominated, runtime, proposer, title, nominee)
    await runtime.process.start_for(proposal)
    return str(proposal.id)
