"""Publication of state-level nominees as use cases: publish an appraised nominee for its
rulebook window (counted on the stored working calendar), and read the public list."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.kernel.calendar import today
from domain.proposal.aggregate import Proposal
from domain.proposal.publication import window_end
from services.application.directory import User
from services.application.process import PUBLISH
from services.application.public_list import PublicNominee
from services.application.steps import StepTaken, take_step
from services.runtime import Runtime
from workflows.messages import PublishRequest

SECRETARY = "council_secretary"


@dataclass(frozen=True)
class Publishing:
    where: str  # the media it was published on, e.g. the proposing body's web portal
    published_on: date | None = None  # today in Vietnam when not given


async def publish(
    runtime: Runtime, proposal: Proposal, user: User, publishing: Publishing, key: str | None
) -> StepTaken:
    """Publish an appraised nominee for the window of its rulebook version, then list it."""
    day = today()
    published_on = publishing.published_on or day

    async def prepare() -> PublishRequest:
        version = await asyncio.to_thread(runtime.rulebook.version, proposal.rulebook_version)
        calendar = await asyncio.to_thread(runtime.calendars.calendar)
        days = version.publication_window.working_days
        return PublishRequest(
            user.username,
            SECRETARY,
            published_on.isoformat(),
            window_end(calendar, published_on, days).isoformat(),
            days,
            publishing.where,
            day.isoformat(),
        )

    pid = str(proposal.id)
    taken = await take_step(runtime.process, pid, PUBLISH, user.username, key, prepare)
    await asyncio.to_thread(_list, runtime, pid)
    return taken


def _list(runtime: Runtime, proposal_id: str) -> None:
    proposal = runtime.app.proposal(UUID(proposal_id))
    unit = runtime.directory.unit(proposal.proposing_unit)
    runtime.publications.list_published(proposal, unit.name if unit else proposal.proposing_unit)


def public_nominees(runtime: Runtime) -> list[PublicNominee]:
    return runtime.publications.in_window(today())
