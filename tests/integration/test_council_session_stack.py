"""A council session on the real stack: the demo council of seven (five present, one written
vote, one absent) votes a two-line list with one recusal; each proposal's workflow takes its
line's result; the minutes and the count are kept; a session below quorum cannot open."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from journey import call, eventually, submitted

from domain.kernel.calendar import VIETNAM

pytestmark = pytest.mark.integration
PRESENT = ["president", "council.1", "council.2", "vusta.secretary", "council.3"]
SECRETARY = "vusta.secretary"


async def appraised_for_session(api: httpx.AsyncClient) -> str:
    pid = await submitted(api, form="vusta_certificate")
    body = {"action": "approve", "reason": "hồ sơ đầy đủ", "council": "session"}
    answer = await call(api, "POST", f"/api/proposals/{pid}/appraisal", SECRETARY, json=body)
    assert answer["state"] == "appraised"
    return pid


async def convened(api: httpx.AsyncClient, *pids: str) -> str:
    today = datetime.now(VIETNAM).date().isoformat()
    body = {"held_on": today, "place": "Hà Nội"}
    session = await call(api, "POST", "/api/sessions", SECRETARY, 201, json=body)
    sid = str(session["id"])
    for pid in pids:
        await call(api, "POST", f"/api/sessions/{sid}/agenda", SECRETARY, json={"proposal_id": pid})
    return sid


async def attend(api: httpx.AsyncClient, sid: str, kinds: dict[str, str]) -> None:
    for member, kind in kinds.items():
        body = {"member": member, "attendance": kind}
        await call(api, "POST", f"/api/sessions/{sid}/attendance", SECRETARY, json=body)


async def test_a_session_votes_its_list_and_each_proposal_takes_its_line(
    api: httpx.AsyncClient,
) -> None:
    first, second = await appraised_for_session(api), await appraised_for_session(api)
    sid = await convened(api, first, second)
    await call(
        api, "POST", f"/api/sessions/{sid}/agenda", SECRETARY, 409, json={"proposal_id": first}
    )
    kinds = dict.fromkeys(PRESENT, "present") | {
        "council.4": "absent_written",
        "council.5": "absent",
    }
    await attend(api, sid, kinds)
    recusal = {"proposal_id": second, "reason": "cùng đơn vị với người được đề nghị"}
    await call(api, "POST", f"/api/sessions/{sid}/recusals", "council.1", json=recusal)
    opened = await call(api, "POST", f"/api/sessions/{sid}/open", SECRETARY)
    assert opened["stage"] == "open"
    written = {"choices": {first: "yes", second: "yes"}}
    await call(api, "POST", f"/api/sessions/{sid}/written-votes", "council.4", json=written)
    await call(api, "POST", f"/api/sessions/{sid}/ballots", "council.2", 409, json=written)
    await call(api, "POST", f"/api/sessions/{sid}/voting", SECRETARY)
    receipts = {}
    for member in PRESENT:
        choices = {first: "yes"}
        if member != "council.1":
            choices[second] = "no" if member in ("council.2", "council.3") else "yes"
        answer = await call(
            api, "POST", f"/api/sessions/{sid}/ballots", member, json={"choices": choices}
        )
        receipts[member] = answer["receipt"]
    state = await call(api, "GET", f"/api/sessions/{sid}", "auditor")
    assert state["stage"] == "closed"
    assert state["result"][first] == {
        "tally": {"yes": 6, "no": 0, "abstain": 0},
        "outcome": "approved",
        "base": 7,
    }
    assert state["result"][second] == {
        "tally": {"yes": 3, "no": 2, "abstain": 0},
        "outcome": "rejected",
        "base": 6,
    }
    for pid, expected in ((first, "council_approved"), (second, "rejected")):
        await eventually(
            lambda pid=pid: call(api, "GET", f"/api/proposals/{pid}", "auditor"),  # type: ignore[misc]
            lambda answer, expected=expected: answer["state"] == expected,  # type: ignore[misc]
        )
    check = await call(
        api,
        "POST",
        f"/api/sessions/{sid}/receipts/check",
        "council.2",
        json={"receipt": receipts["council.2"]},
    )
    assert check["counted"] is True
    kept = await call(api, "POST", f"/api/sessions/{sid}/records", SECRETARY)
    assert kept["message"] == "records kept"
    state = await call(api, "GET", f"/api/sessions/{sid}", "auditor")
    assert sorted(r["kind"] for r in state["records"]) == ["ballot_count", "session_minutes"]
    count = await call(api, "GET", f"/api/sessions/{sid}/count", "auditor")
    assert count["voters"] == 6 and "council.2" not in str(count)


async def test_a_session_below_quorum_cannot_open_and_it_is_recorded(
    api: httpx.AsyncClient,
) -> None:
    pid = await appraised_for_session(api)
    sid = await convened(api, pid)
    await attend(api, sid, dict.fromkeys(PRESENT[:3], "present"))
    answer = await call(api, "POST", f"/api/sessions/{sid}/open", SECRETARY)
    assert (answer["stage"], answer["message"]) == ("planned", "below quorum: recorded")
    state = await call(api, "GET", f"/api/sessions/{sid}", "auditor")
    assert state["quorum_checks"] == [
        {"step": "open", "present": 3, "needed": 5, "met": False, "short_lines": []}
    ]
    await call(api, "POST", f"/api/sessions/{sid}/adjourn", SECRETARY, json={"reason": "không đủ"})
    proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    assert proposal["state"] == "appraised"
