"""What the cluster year reads from the other capabilities, each behind one adapter:
the organisation year [org], the rulebook [rules] and the conference's nominations [proposal].

Until those land on main, each adapter answers from what exists today (the directory of
clusters and units, a draft proposal per carried line) and says
so; swapping in the real ones is a change in this module alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.kernel.actor import Actor
from domain.kernel.calendar import today
from domain.rulebook.version import RulebookVersion
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
    """The group in the organisation year in force for ``year`` (runtime.organisation [org]);
    until it lands, the directory's cluster and its units (no head, deputy or women share)."""
    organisation = getattr(runtime, "organisation", None)
    if organisation is not None:
        org_year = organisation.in_force(year)
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
    units = runtime.directory.cluster_units(group_id)
    if not units:
        return None
    members = tuple(unit.id for unit in units)
    return GroupFacts(group_id, "cluster", members, None, None, dict.fromkeys(members))


def recent_heads(runtime: Any, year: int, group_id: str, this_head: str) -> list[str]:
    """This year's head, then the heads of the years before (as far as they are recorded)."""
    heads = [this_head]
    organisation = getattr(runtime, "organisation", None)
    if organisation is None:
        return heads
    for earlier in range(year - 1, year - 6, -1):
        org_year = organisation.year(earlier)
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
) -> bool:
    """Next year's head and deputy into that organisation year [org]; False when the
    organisation capability is not there yet (the year's own event still records them)."""
    organisation = getattr(runtime, "organisation", None)
    if organisation is None:
        return False
    organisation.record_election(year, group_id, head, deputy, actor, reason, key)
    return True


def conference_proposal_id(year_id: UUID, line: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"urn:awards:conference-nomination:{year_id}:{line}")


async def nominate_line(runtime: Any, year: Any, line: Any, records: Sequence[Any]) -> UUID:
    """The proposal a carried conference line becomes [proposal], carrying the conference's
    records (the minutes and the ballot count). Until ``nominate_from_conference`` lands (a
    proposal already past the cluster vote), a DRAFT proposal of the line's form for the unit
    with both records attached, under an id derived from the year and the line, so repeating
    this creates nothing."""
    from domain.cluster_year.conference import FLAG

    version = rulebook_version(runtime, year.rulebook_version)
    rules = version.conference
    form = version.form(rules.flag_form if line.kind == FLAG else rules.certificate_form)
    unit = runtime.directory.unit(line.unit)
    name = unit.name if unit else line.unit
    proposal_id = conference_proposal_id(year.id, line.id)
    actor = Actor("system", "system")
    proposal, _ = runtime.app.nominate(
        proposal_id=proposal_id,
        form=form,
        year=year.year,
        proposing_unit=line.unit,
        cluster=year.group_id,
        nominee={"kind": "collective", "name": name, "unit_id": line.unit},
        title=f"{form.name_vi} {year.year}: {name}",
        summary=f"Hội nghị tổng kết {year.group_id} {year.year}",
        actor=actor,
        key=f"conference:{proposal_id}",
    )
    held = {document.sha256 for document in proposal.dossier.documents}
    for record in records:
        if record.sha256 in held:
            continue
        content = runtime.documents.get(record.sha256)
        document = {
            "name": f"{record.kind}-{year.group_id}-{year.year}.pdf",
            "media_type": "application/pdf",
            "sha256": record.sha256,
            "size": len(content or b""),
            "kind": record.kind,
        }
        runtime.app.attach_document(proposal_id, document, actor, f"{proposal_id}:{record.kind}")
    return proposal_id
