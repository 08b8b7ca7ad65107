"""Cụm 6's emulation year through the API on the real stack (PostgreSQL, Temporal), the "Done
when" of issue 11: launch, pledge, criteria, self-scores with an adjustment, ranking, the
conference's list ballot, next year's head elected into next year's organisation, and the
proposals the result creates going on through appraisal, council and decision, the Government
Flag forwarded and then externally decided.

The year run is LAST year (2025 while the clock says 2026), not a fixed 2024: a VUSTA decision
on emulation year Y is dated Y or Y+1 and on or after the council's vote (today), so a fixed
year would stop the decision step once the calendar moves on. The organisation in force for it
is the demo's 2024 year (Cụm 6: Phú Yên head, Khánh Hòa deputy)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
from journey import (
    PDF,
    approve_appraisal,
    call,
    cluster_units,
    council_votes,
    eventually,
    member_of,
    next_decision_number,
)

from domain.kernel.calendar import VIETNAM
from services.application.cluster_year import year_leaders
from services.runtime import Runtime

YEAR = datetime.now(VIETNAM).year - 1
BASE = f"/api/years/{YEAR}/clusters/cum-6"
UNITS = cluster_units("cum-6")  # Quảng Ngãi, Bình Định, Phú Yên, Khánh Hòa, Ninh Thuận, ...
HEAD, DEPUTY = "lhh-phu-yen", "lhh-khanh-hoa"  # invented for the demo (2024 not in sources)
HASH = "d" * 64
FORMS = ["vusta_flag", "vusta_certificate", "government_flag"]  # of the three lines


async def step(
    api: httpx.AsyncClient, path: str, unit: str, expect: int = 200, **body: Any
) -> dict[str, Any]:
    return await call(api, "POST", f"{BASE}{path}", member_of(unit), expect, json=body)


async def ranked_year(api: httpx.AsyncClient) -> dict[str, Any]:
    """Launch, pledge, criteria, self-scores with an adjustment contested and settled, the
    mid-year review and the year-end ranking; answer the ranked year."""
    plan = {"document_id": f"ke-hoach-{YEAR}", "sha256": HASH}
    launched = await call(
        api,
        "POST",
        f"{BASE}/launch",
        "vusta.secretary",
        json={"plan": plan, "head": HEAD, "deputy": DEPUTY},
    )
    assert launched["stage"] == "pledge"
    for unit in UNITS:
        await step(api, "/pledge", unit)
    await step(api, "/criteria", "lhh-binh-dinh", 409)  # only the head
    await step(api, "/criteria", HEAD, template="vusta-cluster")
    assert (await step(api, "/scoring", HEAD))["stage"] == "scoring"
    evidence = [{"document_id": "bao-cao", "sha256": HASH}]
    for n, unit in enumerate(UNITS):
        await step(api, "/scores", unit, criterion="A1", points=20 + n, evidence=evidence)
    top = UNITS[-1]
    await step(
        api, "/adjustments", HEAD, expect=422, member=top, criterion="A1", points=10, reason=" "
    )
    await step(
        api, "/adjustments", HEAD, member=top, criterion="A1", points=10, reason="thiếu minh chứng"
    )
    await step(api, "/contests", top, criterion="A1", reason="đã bổ sung minh chứng")
    await step(api, "/contests", top, expect=409, criterion="A1", reason="lần hai")
    await step(
        api,
        "/settlements",
        DEPUTY,
        member=top,
        criterion="A1",
        outcome="keep",
        reason="minh chứng nộp muộn",
    )
    await step(api, "/mid-year", HEAD, reason="sơ kết 6 tháng")
    assert (await step(api, "/ranking", HEAD, reason="tổng kết"))["stage"] == "ranked"
    return await call(api, "GET", BASE, "auditor")


async def vote(api: httpx.AsyncClient, leader: str, certificate: str) -> list[str]:
    """The conference's candidates (a Government Flag line for the leader too) and every
    member unit's list ballot; answer the lines."""
    await step(
        api,
        "/conference/candidates",
        HEAD,
        409,
        certificates=[],
        government_flag=True,
        flag=certificate,
    )  # the Government Flag goes with the Flag to the leader
    opened = await step(
        api, "/conference/candidates", HEAD, certificates=[certificate], government_flag=True
    )
    assert opened["stage"] == "voting"
    lines = [f"flag:{leader}", f"certificate:{certificate}", f"government_flag:{leader}"]
    own = await step(
        api, "/conference/ballots", leader, expect=409, choices={line: "yes" for line in lines}
    )
    assert "own candidate" in own["detail"]
    for unit in UNITS:
        choices = {line: "yes" for line in lines if not line.endswith(f":{unit}")}
        cast = await step(api, "/conference/ballots", unit, choices=choices)
        assert len(cast["receipt"]) > 20
    return lines


async def through_council(api: httpx.AsyncClient, pid: str) -> dict[str, Any]:
    """A conference's proposal from the appraisal through the council's vote."""

    async def read() -> dict[str, Any]:
        return await call(api, "GET", f"/api/proposals/{pid}", "auditor")

    body = await eventually(read, lambda b: b["state"] == "appraisal")
    assert "cluster" not in body["votes"]  # the conference voted: no cluster vote of its own
    appraised = await approve_appraisal(api, pid)
    if appraised["state"] == "appraised":  # a state-level nominee is published first
        # Published in January: its window has long ended, so the council's vote opens at once.
        where = {"where": "Cổng thông tin điện tử VUSTA", "published_on": "2026-01-05"}
        await call(api, "POST", f"/api/proposals/{pid}/publish", "vusta.secretary", json=where)
        await eventually(read, lambda b: b["state"] == "council_voting")
    body = await council_votes(api, pid, ["yes"] * 5)
    assert body["state"] == "council_approved"
    return body


async def test_cluster_6_runs_its_2024_year_through_the_api(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    before = runtime.organisation.in_force(YEAR)
    assert before is not None and before.group("cum-6") is not None
    assert (before.group("cum-6").head, before.group("cum-6").deputy) == (HEAD, DEPUTY)
    year = await ranked_year(api)
    leader = year["ranking"][0]["unit"]
    assert leader == UNITS[-2]  # the top self-score was adjusted down
    certificate = year["ranking"][1]["unit"]
    lines = await vote(api, leader, certificate)
    year = await call(api, "GET", BASE, "auditor")
    assert year["stage"] == "counted"
    assert year["result"][f"flag:{leader}"]["tally"]["yes"] == len(UNITS) - 1
    assert year_leaders(runtime, YEAR)["cum-6"] == leader  # (other tests run other clusters)
    # The head does not serve two years running.
    await step(api, "/election", HEAD, 409, head=HEAD, deputy=DEPUTY, reason="biên bản")
    elected = await step(
        api, "/election", HEAD, head=DEPUTY, deputy=leader, reason="biên bản", place="Tuy Hòa"
    )
    assert elected["stage"] == "closed"
    next_year = runtime.organisation.year(YEAR + 1)
    assert next_year is not None and next_year.group("cum-6") is not None
    assert (next_year.group("cum-6").head, next_year.group("cum-6").deputy) == (DEPUTY, leader)
    assert runtime.organisation.in_force(YEAR) == before  # a past year is never touched

    year = await call(api, "GET", BASE, "auditor")
    records = {record["kind"]: record for record in year["records"]}
    assert sorted(records) == ["ballot_count", "review_minutes"]
    for record in records.values():
        content = runtime.documents.get(record["sha256"])
        assert content is not None and hashlib.sha256(content).hexdigest() == record["sha256"]
    assert sorted(year["nominations"]) == sorted(lines)
    refused = {line: n for line, n in year["nominations"].items() if "proposal" not in n}
    assert not refused, refused  # a refusal names its rule and the facts it found
    made = {line: year["nominations"][line]["proposal"] for line in lines}
    forms = {}
    for line, pid in made.items():
        proposal = runtime.app.proposal(UUID(pid))
        forms[line] = proposal.form
        assert proposal.nominee.unit_id == line.partition(":")[2]
        assert proposal.rulebook_version == year["rulebook_version"]
        carried = {d.kind: d.sha256 for d in proposal.dossier.documents}
        assert carried == {kind: record["sha256"] for kind, record in records.items()}
    assert forms == dict(zip(lines, FORMS, strict=True))
    again = await step(api, "/conference/records", HEAD)  # nothing is made twice
    assert again["stage"] == "closed"
    assert (await call(api, "GET", BASE, "auditor"))["nominations"] == year["nominations"]

    for pid in made.values():  # every carried line is past the cluster vote
        assert runtime.app.proposal(UUID(pid)).conference_id is not None
    for line in lines[:2]:  # VUSTA's own forms: decided by the President
        await through_council(api, made[line])
        decision = {"outcome": "awarded", "number": next_decision_number()}
        path = f"/api/proposals/{made[line]}/decision"
        assert (await call(api, "POST", path, "president", json=decision))["state"] == "decided"
    await forwarded_and_decided(api, made[lines[2]])


async def forwarded_and_decided(api: httpx.AsyncClient, pid: str) -> None:
    """The Government Flag after the council: forwarded, then the state body's outcome."""
    await through_council(api, pid)
    letter = {"letter_number": "07/TTr-LHHVN", "recipient": "Ban Thi đua - Khen thưởng Trung ương"}
    path = f"/api/proposals/{pid}"
    forwarded = await call(api, "POST", f"{path}/forward", "vusta.secretary", json=letter)
    assert forwarded["state"] == "forwarded"
    outcome = {
        "outcome": "awarded",
        "number": "45/QĐ-TTg",
        "decided_on": datetime.now(VIETNAM).date().isoformat(),
        "issuer": "Thủ tướng Chính phủ",
    }
    files = {"file": ("qd-45-ttg.pdf", PDF[1] + b"QD 45 TTg", PDF[0])}
    decided = await call(
        api, "POST", f"{path}/external-outcome", "vusta.secretary", data=outcome, files=files
    )
    assert decided["state"] == "externally_decided"
