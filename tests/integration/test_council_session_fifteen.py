"""A council of fifteen in a session: its own organisation year (2033, which no other test
uses; with a rulebook version of that year only, as the shipped ones end in 2027 and the
rulebook tests' versions start in 2035) names fifteen members; eleven are present, two vote
in writing, two are absent, and they vote a six-line list of that year's proposals with one
recusal; each line is judged over its own base and each proposal takes its line's result.

The eight members the demo does not have hold their council role in 2033 only, and the API
authorises by the roles of the year in force today (giving them a council role today would
change every 2026 proposal's council electorate), so their ballots go through the use case
the ballot route calls, as the user of 2033."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date

import httpx
import pytest
from journey import attach, call, eventually, runtime_of

from domain.kernel.actor import SYSTEM, Role
from domain.organisation.values import Person
from domain.rulebook.defaults import DECREE_152
from services.application import session as sessions
from services.application.seed import demo_year
from services.runtime import Runtime

pytestmark = pytest.mark.integration

YEAR = 2033
SECRETARY, PROPOSER, UNIT = "vusta.secretary", "ninh-binh.proposer", "lhh-ninh-binh"
NEWCOMERS = tuple(f"council39.{n}" for n in range(1, 9))
DEMO = ("president", "council.1", "council.2", SECRETARY, "council.3", "council.4", "council.5")
PRESENT = (*DEMO[:4], "council.3", *NEWCOMERS[:6])  # eleven
WRITTEN = ("council.4", NEWCOMERS[6])
ABSENT = ("council.5", NEWCOMERS[7])
RECUSED = NEWCOMERS[0]  # present, recused from the sixth nominee


def open_fifteen(runtime: Runtime) -> None:
    """2033: the demo's organisation with a council of fifteen, and a rulebook for the year."""
    content = demo_year(2024)
    for n, username in enumerate(NEWCOMERS, start=1):
        person = Person(username, f"Ủy viên Hội đồng {n}", None, (Role.COUNCIL_MEMBER,))
        content = content.with_person(person)
    council = replace(content.council, members=(*content.council.members, *NEWCOMERS))
    content = replace(content, council=council)
    assert len(content.council.everyone()) == 15
    runtime.organisation.open_year(YEAR, content, SYSTEM, "hội đồng 15 người (test)", f"org:{YEAR}")
    version = replace(
        DECREE_152,
        code=f"session-{YEAR}",
        effective_from=date(YEAR, 1, 1),
        effective_to=date(YEAR + 1, 1, 1),
    )
    runtime.rulebook.add(version, SYSTEM, "năm của hội đồng 15 người (test)", f"rules:{YEAR}")


async def appraised_of_year(api: httpx.AsyncClient, n: int) -> str:
    body = {
        "form": "vusta_certificate",
        "year": YEAR,
        "nominee": {"kind": "collective", "name": "Liên hiệp Hội tỉnh Ninh Bình", "unit_id": UNIT},
        "title": f"Bằng khen năm {YEAR} số {n}",
        "summary": "Thành tích xuất sắc",
    }
    pid = str((await call(api, "POST", "/api/proposals", PROPOSER, 201, json=body))["id"])
    for kind in ("request_letter", "achievement_report"):
        await attach(api, pid, kind, PROPOSER)
    await call(api, "POST", f"/api/proposals/{pid}/submit", PROPOSER, json={"comment": "gửi"})
    appraisal = {"action": "approve", "reason": "hồ sơ đầy đủ", "council": "session"}
    await call(api, "POST", f"/api/proposals/{pid}/appraisal", SECRETARY, json=appraisal)
    return pid


# Each line's choices, in the order PRESENT + WRITTEN vote (13 ballots; the recused member
# has no sixth line). The Certificate's council rule: yes at least 7/10 of all members (15, so
# 11; 14 on the sixth line, so 10).
PLANS = (
    "y" * 13,  # 13 yes: approved
    "y" * 11 + "n" * 2,  # 11 of 15, just enough: approved
    "y" * 10 + "n" * 3,  # 10 of 15, one short: rejected
    "y" * 7 + "n" * 3 + "a" * 3,  # rejected
    "y" * 12 + "a",  # approved
    "y" * 5 + "n" + "y" * 5 + "n" * 2,  # the recused member's "n" is left out: 10 of 14 passes
)
WORD = {"y": "yes", "n": "no", "a": "abstain"}


async def test_a_council_of_fifteen_votes_a_six_line_list_with_a_recusal(
    api: httpx.AsyncClient,
) -> None:
    runtime = runtime_of(api)
    await asyncio.to_thread(open_fifteen, runtime)
    pids = [await appraised_of_year(api, n) for n in range(1, 7)]
    body = {"held_on": date(YEAR, 12, 1).isoformat(), "place": "Hà Nội"}
    sid = str((await call(api, "POST", "/api/sessions", SECRETARY, 201, json=body))["id"])
    for pid in pids:
        await call(api, "POST", f"/api/sessions/{sid}/agenda", SECRETARY, json={"proposal_id": pid})
    kinds = (
        dict.fromkeys(PRESENT, "present")
        | dict.fromkeys(WRITTEN, "absent_written")
        | dict.fromkeys(ABSENT, "absent")
    )
    for member, kind in kinds.items():
        attendance = {"member": member, "attendance": kind}
        await call(api, "POST", f"/api/sessions/{sid}/attendance", SECRETARY, json=attendance)
    recusal = {"member": RECUSED, "proposal_id": pids[5], "reason": "cùng đơn vị"}
    await call(api, "POST", f"/api/sessions/{sid}/recusals", SECRETARY, json=recusal)
    assert (await call(api, "POST", f"/api/sessions/{sid}/open", SECRETARY))["stage"] == "open"

    voters = (*PRESENT, *WRITTEN)
    ballots = {
        member: {pid: WORD[plan[i]] for pid, plan in zip(pids, PLANS, strict=True)}
        for i, member in enumerate(voters)
    }
    del ballots[RECUSED][pids[5]]
    for member in WRITTEN:
        await cast(runtime, sid, member, ballots[member], written=True)
    await call(api, "POST", f"/api/sessions/{sid}/voting", SECRETARY)
    for member in PRESENT:
        await cast(runtime, sid, member, ballots[member], written=False)

    state = await call(api, "GET", f"/api/sessions/{sid}", "auditor")
    assert state["stage"] == "closed" and len(state["members"]) == 15
    expected = [
        ((13, 0, 0), "approved", 15),
        ((11, 2, 0), "approved", 15),
        ((10, 3, 0), "rejected", 15),
        ((7, 3, 3), "rejected", 15),
        ((12, 0, 1), "approved", 15),
        ((10, 2, 0), "approved", 14),
    ]
    for pid, ((yes, no, abstain), outcome, base) in zip(pids, expected, strict=True):
        assert state["result"][pid] == {
            "tally": {"yes": yes, "no": no, "abstain": abstain},
            "outcome": outcome,
            "base": base,
        }
    for pid, (_, outcome, _) in zip(pids, expected, strict=True):
        wanted = "council_approved" if outcome == "approved" else "rejected"
        await eventually(
            lambda pid=pid: call(api, "GET", f"/api/proposals/{pid}", "auditor"),
            lambda answer, wanted=wanted: answer["state"] == wanted,
        )


async def cast(
    runtime: Runtime, sid: str, member: str, choices: dict[str, str], written: bool
) -> None:
    """A member's ballot as the ballot route takes it, the member read as of 2033."""
    user = await asyncio.to_thread(runtime.directory.user, member, YEAR)
    assert user is not None and user.has(
        Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY, Role.PRESIDENT
    )
    taken = await sessions.cast_ballot(runtime, user, sid, choices, written, None)
    assert taken.receipt
