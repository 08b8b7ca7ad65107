"""Creating a draft proposal and starting its process, as one use case for every entry point."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import today
from domain.proposal.aggregate import Proposal
from domain.proposal.forwarding import check_direct_nomination
from services.application.directory import User
from services.application.eligibility import Nomination, check_nomination
from services.application.process import ProcessUnavailable
from services.application.process_starter import ProcessStarts
from services.application.proposals import proposal_id_for
from services.runtime import Runtime


class NotInAClusterUnit(Exception):
    """Only a proposer of a member unit of a cluster nominates."""


@dataclass(frozen=True)
class Draft:
    """What a proposer fills in; the unit and its cluster come from the directory."""

    form: str
    year: int
    nominee: dict[str, Any]
    title: str
    summary: str = ""


@dataclass(frozen=True)
class DraftSaved:
    proposal: Proposal
    created: bool  # False: the draft made earlier by the same caller with the same key
    process_pending: bool  # Temporal was away: the worker's process starter starts it later


async def create_draft(
    runtime: Runtime, user: User, draft: Draft, idempotency_key: str | None
) -> DraftSaved:
    """Save the draft, then start its process. A draft saved while Temporal is away is kept
    and said so (a failure answered after the write made clients store a second draft)."""
    # The dossier is lodged today: the version in force today judges it, and the form is as
    # that version has it (its documents, who may receive it).
    version = await asyncio.to_thread(runtime.rulebook.in_force, today())
    form = version.form(draft.form)
    check_direct_nomination(form)
    unit = await asyncio.to_thread(runtime.directory.unit, user.unit_id or "")
    if unit is None or unit.cluster_id is None:
        raise NotInAClusterUnit(user.username)
    actor = Actor(user.username, Role.PROPOSER)
    key = idempotency_key or datetime.now(UTC).isoformat() + user.username
    cluster = unit.cluster_id
    proposal_id = proposal_id_for(actor, key)
    nomination = Nomination(
        draft.form, draft.year, cluster, unit.id, draft.nominee, draft.title, str(proposal_id)
    )
    await check_nomination(runtime, nomination)
    proposal, created = await asyncio.to_thread(
        lambda: runtime.app.nominate(
            proposal_id=proposal_id,
            form=form,
            year=draft.year,
            proposing_unit=unit.id,
            cluster=cluster,
            nominee=draft.nominee,
            title=draft.title,
            summary=draft.summary,
            actor=actor,
            key=f"create:{key}",
            rulebook_version=version.code,
        )
    )
    try:
        await runtime.process.start_for(proposal)
    except ProcessUnavailable:
        return DraftSaved(proposal, created, process_pending=True)
    # Only spares the process starter a call: the draft and its process exist either way.
    with contextlib.suppress(psycopg.Error):
        await asyncio.to_thread(ProcessStarts(runtime.pool).record, proposal.id)
    return DraftSaved(proposal, created, process_pending=False)
