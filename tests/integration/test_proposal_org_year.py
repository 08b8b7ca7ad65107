"""A proposal's voters come from the organisation in force for ITS year: a later year that
regroups the clusters and changes the council leaves the earlier year's proposals as they were,
and the proposal shows which organisation year it is read with."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest
from journey import approve_appraisal, attach, call, cluster_votes, lodged_flag

from domain.kernel.actor import SYSTEM, Role
from services.runtime import Runtime

pytestmark = pytest.mark.integration

PROPOSER = "ninh-binh.proposer"
NOMINEE = {"kind": "collective", "name": "Liên hiệp Hội tỉnh Ninh Bình", "unit_id": "lhh-ninh-binh"}
EARLIER, REGROUPED = 2030, 2031  # past every demo and test year: today's directory is unmoved
MOVED, LEFT = "lhh-thanh-hoa", "council.5"  # out of Cụm 4, off the council, from 2031


def regroup(runtime: Runtime) -> None:
    """2031: Thanh Hóa leaves Cụm 4, council.5 is no longer a council member."""
    in_force = runtime.organisation.in_force(REGROUPED)
    assert in_force is not None
    content = in_force.content
    cum_4 = content.group("cum-4")
    person = content.person(LEFT)
    assert cum_4 is not None and MOVED in cum_4.members and person is not None
    content = content.with_group(
        replace(cum_4, members=tuple(m for m in cum_4.members if m != MOVED))
    ).with_person(replace(person, roles=tuple(r for r in person.roles if r != Role.COUNCIL_MEMBER)))
    opened = runtime.organisation.open_year(
        REGROUPED, content, SYSTEM, "sáp nhập (test)", f"regroup:{REGROUPED}"
    )
    assert opened


async def at_council(api: httpx.AsyncClient, year: int) -> dict[str, object]:
    """A Flag of ``year`` lodged, submitted, voted by its cluster and appraised."""
    title = f"Cờ thi đua năm {year}"
    pid = await lodged_flag(api, PROPOSER, "vusta_flag", NOMINEE, title, year)
    for kind in ("request_letter", "achievement_report"):
        await attach(api, pid, kind, PROPOSER)
    await call(api, "POST", f"/api/proposals/{pid}/submit", PROPOSER, json={"comment": "gửi"})
    await cluster_votes(api, pid, ["yes"] * 7)
    return await approve_appraisal(api, pid)


async def test_a_proposals_electorate_is_its_years_organisation_not_a_later_one(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    before = await asyncio.to_thread(runtime.organisation.year_in_force, EARLIER)
    await asyncio.to_thread(regroup, runtime)
    earlier, later = await at_council(api, EARLIER), await at_council(api, REGROUPED)
    assert earlier["organisation_year"] == before and later["organisation_year"] == REGROUPED
    votes_before, votes_after = earlier["votes"], later["votes"]
    assert isinstance(votes_before, dict) and isinstance(votes_after, dict)
    assert MOVED in votes_before["cluster"]["electorate"]
    assert MOVED not in votes_after["cluster"]["electorate"]
    assert LEFT in votes_before["council"]["electorate"]
    assert LEFT not in votes_after["council"]["electorate"]
