"""What the cluster year reads from and gives to the other capabilities, each behind one
adapter: the organisation year, the rulebook and the conference's nominations (proposals)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any
from uuid import UUID

from domain.cluster_year import commands as c
from domain.cluster_year.aggregate import ClusterYear
from domain.cluster_year.conference import Line, line_form
from domain.eligibility.refusal import NotEligible
from domain.kernel.actor import SYSTEM, Actor
from domain.kernel.calendar import today
from domain.rulebook.version import RulebookVersion
from services.application.conference_nominations import (
    ConferenceNomination,
    RecordRef,
    nominate_from_conference,
)
from services.application.rulebook import Rulebook


def rulebook_version(
    runtime: Any, code: str | None = None, day: date | None = None
) -> RulebookVersion:
    """The version by its code, or the one in force on ``day`` (runtime.rulebook [rules])."""
    rulebook: Rulebook = runtime.rulebook
    if code is not None:
        return rulebook.version(code)
    return rulebook.in_force(day or today())


@dataclass(frozen=True)
class GroupFacts:
    """A cluster or block in one organisation year, as the year needs it."""

    group_id: str
    scope: str
    members: tuple[str, ...]
    head: str | None
    deputy: str | None
    women_share: dict[str, str | None]


def group_facts(runtime: Any, year: int, group_id: str) -> GroupFacts | None:
    """The group in the organisation year in force for ``year`` (runtime.organisation)."""
    org_year = runtime.organisation.in_force(year)
    group = org_year.group(group_id) if org_year else None
    if group is None:
        return None
    return GroupFacts(
        group_id=group.id,
        scope=str(group.scope),
        members=tuple(group.members),
        head=group.head,
        deputy=group.deputy,
        women_share={unit: org_year.unit(unit).women_share for unit in group.members},
    )


def recent_heads(runtime: Any, year: int, group_id: str, this_head: str) -> list[str]:
    """This year's head, then the heads of the years before (as far as they are recorded)."""
    heads = [this_head]
    for earlier in range(year - 1, year - 6, -1):
        org_year = runtime.organisation.year(earlier)
        group = org_year.group(group_id) if org_year else None
        if group is None or group.head is None:
            break
        heads.append(group.head)
    return heads


def record_election(
    runtime: Any,
    year: int,
    group_id: str,
    head: str,
    deputy: str,
    actor: Actor,
    reason: str,
    key: str,
) -> None:
    """Next year's head and deputy into that organisation year (created as a copy of the
    latest earlier year when it is not recorded yet)."""
    runtime.organisation.record_election(year, group_id, head, deputy, actor, reason, key)


def nomination_key(year_id: UUID, line: str) -> str:
    """The idempotency key of a carried line's nomination: one proposal per year and line."""
    return f"cluster-year:{year_id}:{line}"


def line_nomination(
    runtime: Any, year: ClusterYear, line: Line, records: Sequence[RecordRef]
) -> ConferenceNomination:
    """A carried line as the conference's nomination: the unit by its name in that year's
    organisation, the year's rulebook version, the conference's two records."""
    version = rulebook_version(runtime, year.rulebook_version)
    form = version.form(line_form(line, version.conference))
    unit = runtime.directory.unit(line.unit, year=year.year)
    name = unit.name if unit else line.unit
    return ConferenceNomination(
        conference_id=year.vote_id,
        form=form.code,
        year=year.year,
        cluster=year.group_id,
        proposing_unit=line.unit,
        nominee={"kind": "collective", "name": name, "unit_id": line.unit},
        title=f"{form.name_vi} năm {year.year}: {name}",
        summary=f"Hội nghị tổng kết {year.group_id} năm {year.year} suy tôn",
        records=tuple(records),
        rulebook_version=year.rulebook_version,
    )


async def nominate_line(
    runtime: Any, year: ClusterYear, line: Line, records: Sequence[RecordRef]
) -> c.RecordNomination:
    """The proposal a carried line becomes, carrying the conference's records: past the
    cluster vote (the conference's ballot was that vote), its process started at the
    appraisal, where the secretariat asks the unit for any document it lacks. A
    refusal by the eligibility rules is answered as the year's record of it (the conference's
    result stands)."""
    nomination = await asyncio.to_thread(line_nomination, runtime, year, line, records)
    key = nomination_key(year.id, line.id)
    recorded = partial(c.RecordNomination, actor=SYSTEM, key=f"nomination:{key}", line=line.id)
    try:
        proposal = await nominate_from_conference(runtime, nomination, SYSTEM, key)
    except NotEligible as refused:
        return recorded(refusals=[refusal.to_json() for refusal in refused.refusals])
    return recorded(proposal=str(proposal))
