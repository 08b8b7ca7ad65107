"""A cluster conference under a trustees' key the service does not hold: the sealed box waits
for the trustees' shares of its line totals, two of three open it; a voter checks its receipt;
the year is read only by the council's roles and the units of the cluster in that year."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import side_service
from journey import call, cluster_units, member_of
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from domain.voting.election_key import KeyShare
from services.application.list_voting import list_share_for
from services.cli.main import app as cli

pytestmark = pytest.mark.integration
BASE = "/api/years/2023/clusters/cum-6"  # 2023: the Cụm 6 journey runs last year
UNITS = cluster_units("cum-6")
HASH = "e" * 64


def trustee(folder: Path, index: int) -> KeyShare:
    return KeyShare.from_json(json.loads((folder / f"trustee-{index}.json").read_text()))


async def step(
    api: httpx.AsyncClient, path: str, unit: str, expect: int = 200, **body: Any
) -> dict[str, Any]:
    return await call(api, "POST", f"{BASE}{path}", member_of(unit), expect, json=body)


async def to_the_box(api: httpx.AsyncClient) -> tuple[list[str], dict[str, str]]:
    """Launch, criteria, one score each, ranking, candidates, every unit's list ballot:
    (the lines, each unit's receipt)."""
    plan = {"document_id": "ke-hoach-2023", "sha256": HASH}
    body = {"plan": plan, "head": UNITS[0], "deputy": UNITS[1]}
    await call(api, "POST", f"{BASE}/launch", "vusta.secretary", json=body)
    head = (await call(api, "GET", BASE, "auditor"))["head"]
    await step(api, "/criteria", head, template="vusta-cluster")
    await step(api, "/scoring", head)
    for n, unit in enumerate(UNITS):
        await step(api, "/scores", unit, criterion="A1", points=10 + n)
    await step(api, "/ranking", head, reason="tổng kết")
    ranking = (await call(api, "GET", BASE, "auditor"))["ranking"]
    leader, second = ranking[0]["unit"], ranking[1]["unit"]
    await step(api, "/conference/candidates", head, certificates=[second])
    lines = [f"flag:{leader}", f"certificate:{second}"]
    receipts = {}
    for unit in UNITS:
        choices = {line: "yes" for line in lines if not line.endswith(f":{unit}")}
        receipts[unit] = (await step(api, "/conference/ballots", unit, choices=choices))["receipt"]
    return lines, receipts


async def test_two_of_three_trustees_open_the_conference_count(
    database_url: str,
    temporal_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
    tmp_path: Path,
) -> None:
    keys = tmp_path / "keys"
    ceremony = ["trustees", "ceremony", "--out", str(keys), "--trustees", "3", "--threshold", "2"]
    assert CliRunner().invoke(cli, ceremony).exit_code == 0
    async with side_service(
        tmp_path / "data",
        database_url,
        temporal_env.client,
        "awards-year-trustees",
        executor,
        election_key=keys / "election_key.json",
    ) as (runtime, api):
        assert runtime.custody.shares == ()
        lines, receipts = await to_the_box(api)
        year = await call(api, "GET", BASE, "auditor")
        assert year["stage"] == "counted" and year["result"] is None
        count = await call(api, "GET", f"{BASE}/conference/count", "auditor")
        assert (count["sealed"], count["shares_missing"], len(count["box"])) == (True, 2, 6)

        voter = member_of(UNITS[2])
        receipt = {"receipt": receipts[UNITS[2]]}
        path = f"{BASE}/conference/receipts"
        waiting = await call(api, "POST", path, voter, json=receipt)
        assert (waiting["in_box"], waiting["counted"]) == (True, False)
        await call(api, "POST", path, member_of(UNITS[3]), 403, json=receipt)
        await call(api, "POST", path, "ninh-binh.proposer", 404, json=receipt)  # not Cụm 6

        shares = f"{BASE}/conference/shares"
        first = list_share_for(count, trustee(keys, 1))
        await call(api, "POST", shares, "council.1", json={"share": first})
        await call(api, "POST", shares, "council.2", 422, json={"share": first})
        await call(api, "POST", shares, "ninh-binh.proposer", 403, json={"share": first})
        assert (await call(api, "GET", BASE, "auditor"))["result"] is None
        last = list_share_for(count, trustee(keys, 3))
        await call(api, "POST", shares, "council.3", json={"share": last})

        year = await call(api, "GET", BASE, "auditor")
        assert {line: year["result"][line]["outcome"] for line in lines} == dict.fromkeys(
            lines, "approved"
        )
        assert year["result"][lines[0]]["tally"]["yes"] == len(UNITS) - 1
        counted = await call(api, "POST", path, voter, json=receipt)
        assert (counted["in_box"], counted["counted"]) == (True, True)
        opened = await call(api, "GET", f"{BASE}/conference/count", "auditor")
        assert sorted(share["trustee"] for share in opened["shares"]) == [1, 3]
