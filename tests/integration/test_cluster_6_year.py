"""Cụm 6's 2024 emulation year through the API on the real stack (PostgreSQL, Temporal):
launch, pledge, criteria, self-scores with an adjustment, ranking, the conference's list
ballot, the proposals it creates, and next year's head elected."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
from journey import call, cluster_units, member_of

from domain.cluster_year.aggregate import cluster_year_id
from services.application.cluster_year import year_leaders
from services.application.cluster_year_sources import conference_proposal_id
from services.runtime import Runtime

BASE = "/api/years/2024/clusters/cum-6"
UNITS = cluster_units("cum-6")  # Quảng Ngãi, Bình Định, Phú Yên, Khánh Hòa, Ninh Thuận, ...
HEAD, DEPUTY = "lhh-phu-yen", "lhh-khanh-hoa"  # invented for the demo (2024 not in sources)
HASH = "d" * 64


async def step(
    api: httpx.AsyncClient, path: str, unit: str, expect: int = 200, **body: Any
) -> dict[str, Any]:
    return await call(api, "POST", f"{BASE}{path}", member_of(unit), expect, json=body)


async def test_cluster_6_runs_its_2024_year_through_the_api(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    plan = {"document_id": "ke-hoach-2024", "sha256": HASH}
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
    year = await call(api, "GET", BASE, "auditor")
    leader = year["ranking"][0]["unit"]
    assert leader == UNITS[-2]  # the top self-score was adjusted down
    certificate = year["ranking"][1]["unit"]
    opened = await step(api, "/conference/candidates", HEAD, certificates=[certificate])
    assert opened["stage"] == "voting"
    lines = [f"flag:{leader}", f"certificate:{certificate}"]
    own = await step(
        api, "/conference/ballots", leader, expect=409, choices={line: "yes" for line in lines}
    )
    assert "own candidate" in own["detail"]
    for unit in UNITS:
        choices = {line: "yes" for line in lines if not line.endswith(f":{unit}")}
        cast = await step(api, "/conference/ballots", unit, choices=choices)
        assert len(cast["receipt"]) > 20
    year = await call(api, "GET", BASE, "auditor")
    assert year["stage"] == "counted"
    assert year["result"][f"flag:{leader}"]["tally"]["yes"] == len(UNITS) - 1
    assert year_leaders(runtime, 2024) == {"cum-6": leader}
    # The head does not serve two years running.
    await step(api, "/election", HEAD, 409, head=HEAD, deputy=DEPUTY, reason="biên bản")
    elected = await step(
        api, "/election", HEAD, head=DEPUTY, deputy=leader, reason="biên bản", place="Tuy Hòa"
    )
    assert elected["stage"] == "closed"
    year = await call(api, "GET", BASE, "auditor")
    records = {record["kind"]: record for record in year["records"]}
    assert sorted(records) == ["ballot_count", "review_minutes"]
    for record in records.values():
        content = runtime.documents.get(record["sha256"])
        assert content is not None and hashlib.sha256(content).hexdigest() == record["sha256"]
    year_id = cluster_year_id("cum-6", 2024)
    flag = runtime.app.proposal(conference_proposal_id(year_id, f"flag:{leader}"))
    assert (flag.form, flag.nominee.unit_id) == ("vusta_flag", leader)
    certificate_proposal = conference_proposal_id(year_id, f"certificate:{certificate}")
    for proposal in (flag, runtime.app.proposal(certificate_proposal)):
        carried = {d.kind: d.sha256 for d in proposal.dossier.documents}
        assert carried == {kind: record["sha256"] for kind, record in records.items()}
    again = await step(api, "/conference/records", HEAD)  # nothing is made twice
    assert again["stage"] == "closed"
    assert (await call(api, "GET", BASE, "auditor"))["records"] == year["records"]
