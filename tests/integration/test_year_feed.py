"""A cluster year's reminders and escalations reach the feed of the right people: a reminder
every member unit of that year, an escalation the head and the council secretary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from journey import cluster_units, member_of

from domain.cluster_year import commands as c
from domain.cluster_year.aggregate import cluster_year_id
from domain.kernel.actor import SYSTEM, Actor, Role
from services.application.cluster_year_records import NoServices
from services.application.cluster_year_steps import apply_year
from services.runtime import Runtime

pytestmark = pytest.mark.integration
UNITS = cluster_units("cum-6")
HEAD, DEPUTY = UNITS[0], UNITS[1]
DUE = datetime(2022, 2, 28, 16, 59, tzinfo=UTC)


def kinds(runtime: Runtime, username: str) -> list[str]:
    user = runtime.directory.user(username)
    assert user is not None
    items = runtime.feed.items(user, 200)
    return [item.kind for item in items if item.subject == "year" and "2022" in item.title]


async def test_a_years_deadlines_reach_its_members_head_and_secretary(runtime: Runtime) -> None:
    year_id = cluster_year_id("cum-6", 2022)
    launch = c.Launch(
        actor=Actor("vusta.secretary", Role.COUNCIL_SECRETARY),
        key="launch-2022",
        group_id="cum-6",
        year=2022,
        scope="cluster",
        members=UNITS,
        head=HEAD,
        deputy=DEPUTY,
        rulebook_version="law-06-2022+decree-98-2023",
        plan={"document_id": "ke-hoach-2022", "sha256": "f" * 64},
    )
    apply_year(runtime.app, year_id, [launch], NoServices())
    remind = c.Remind(actor=SYSTEM, key="remind-2022", step="pledge", deadline=DUE)
    escalate = c.Escalate(actor=SYSTEM, key="escalate-2022", step="pledge", deadline=DUE)
    apply_year(runtime.app, year_id, [remind], NoServices())
    apply_year(runtime.app, year_id, [escalate], NoServices())
    runtime.feed.catch_up()

    assert kinds(runtime, member_of(UNITS[2])) == ["YearReminder"]
    assert kinds(runtime, member_of(HEAD)) == ["YearEscalation", "YearReminder"]
    assert kinds(runtime, "vusta.secretary") == ["YearEscalation"]
    assert kinds(runtime, "ninh-binh.proposer") == []
    user = runtime.directory.user(member_of(UNITS[2]))
    assert user is not None
    [reminder] = [i for i in runtime.feed.items(user, 200) if i.subject == "year"]
    assert "28/02/2022" in reminder.text("vi") and reminder.link is None
