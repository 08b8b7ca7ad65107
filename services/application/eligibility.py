"""Eligibility as use cases: gather a nomination's facts (register, holds, leaders, the
rulebook version in force) and run every rule before a proposal is created; record a hold
(a complaint also puts the nominee's proposals under way on hold)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from uuid import UUID

from domain.cluster_year.aggregate import cluster_year_id
from domain.eligibility.check import NominationFacts, check_all
from domain.eligibility.holds import Hold, HoldKind
from domain.eligibility.identity import nominee_key
from domain.eligibility.refusal import NotEligible, Refusal
from domain.eligibility.register import AwardEntry, Source, Title
from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError
from domain.rulebook.version import RulebookVersion
from services.application.cluster_year_steps import YearNotFound, load_year
from services.application.directory import User
from services.application.holds import HoldRecord
from services.application.process import ProcessClosed, StepRefused
from services.application.proposals import ProposalNotFound
from services.application.steps import hold as put_on_hold
from services.runtime import Runtime

log = logging.getLogger(__name__)
_VIETNAM = timezone(timedelta(hours=7))


@dataclass(frozen=True)
class Nomination:
    """What is proposed, for whom, where and when (a draft or a conference's nomination)."""

    form: str
    year: int
    cluster: str
    proposing_unit: str
    nominee: Mapping[str, str]
    title: str
    proposal_id: str = ""  # the proposal itself, when it exists already (not its own claim)
    lodged_on: date | None = field(default=None)  # the rulebook's day; today when None


def rulebook_in_force(runtime: Runtime, day: date) -> RulebookVersion:
    return runtime.rulebook.in_force(day)


def leaders_from(entries: list[AwardEntry], unit: str, year: int) -> dict[str, str]:
    """Group → the nominee's unit, for each group the register says it led in ``year``
    (titles imported for years before the service kept cluster years)."""
    return {
        entry.group: unit
        for entry in entries
        if entry.code == Title.CLUSTER_LEADER and entry.year == year and entry.group
    }


def year_leader(runtime: Runtime, group: str, year: int) -> dict[str, str]:
    """Group → its leading unit by the cluster year's final ranking, when that year was run
    here and ranked (one aggregate read: only the group asked about)."""
    try:
        leader = load_year(runtime.app, cluster_year_id(group, year)).leader()
    except YearNotFound:
        return {}
    return {group: leader} if leader else {}


def facts_for(runtime: Runtime, nomination: Nomination) -> NominationFacts:
    runtime.register.follower.catch_up()  # the claims of proposals created a moment ago
    nominee = nominee_key(nomination.nominee, nomination.proposing_unit)
    unit = nomination.nominee.get("unit_id") or nomination.proposing_unit
    claims = runtime.register.claims_for(nominee, but=nomination.proposal_id)
    held = [claim for claim in claims if claim.source != Source.PROPOSED]
    return NominationFacts(
        form=nomination.form,
        nominee=nominee,
        individual=nomination.nominee.get("kind") == "individual",
        unit=unit,
        group=nomination.cluster,
        year=nomination.year,
        achievement=nomination.title,
        claims=tuple(claims),
        holds=tuple(runtime.holds.of(nominee)),
        # The cluster year's ranking, where there is one, is the final word on its group.
        leaders={
            **leaders_from(held, unit, nomination.year),
            **year_leader(runtime, nomination.cluster, nomination.year),
        },
        flags_taken=tuple(
            runtime.register.flags_taken(nomination.form, nomination.cluster, nomination.year)
        ),
    )


def refusals(runtime: Runtime, nomination: Nomination) -> tuple[Refusal, ...]:
    day = nomination.lodged_on or datetime.now(_VIETNAM).date()
    return check_all(facts_for(runtime, nomination), rulebook_in_force(runtime, day))


async def check_nomination(runtime: Runtime, nomination: Nomination) -> None:
    """Refuse (NotEligible, every refusal listed) a nomination that breaks a rule; called by
    the draft use case and by [proposal]'s ``nominate_from_conference``."""
    found = await asyncio.to_thread(refusals, runtime, nomination)
    if found:
        raise NotEligible(found)


async def record_hold(runtime: Runtime, user: User, record: HoldRecord, key: str) -> Hold:
    """Record a hold; a complaint puts the nominee's proposals under way on hold too (one
    that cannot be held in its state, a draft say, is logged and left)."""
    actor = Actor(user.username, _role(user))
    hold = await asyncio.to_thread(runtime.holds.record, record, actor, key)
    if record.kind != HoldKind.COMPLAINT:
        return hold
    await asyncio.to_thread(runtime.register.follower.catch_up)
    claims = await asyncio.to_thread(runtime.register.claims_for, record.nominee)
    for claim in claims:
        if claim.source != Source.PROPOSED:
            continue
        with contextlib.suppress(ProposalNotFound):
            proposal = await asyncio.to_thread(runtime.app.proposal, UUID(claim.reference))
            reason = f"{record.kind.value}: {record.reason}"
            try:
                await put_on_hold(runtime, proposal, user, reason, f"hold:{hold.id}:{proposal.id}")
            except (DomainError, StepRefused, ProcessClosed) as error:
                log.info("proposal %s not put on hold for %s: %s", proposal.id, hold.id, error)
    return hold


def _role(user: User) -> str:
    return "council_secretary" if user.has("council_secretary") else "admin"
