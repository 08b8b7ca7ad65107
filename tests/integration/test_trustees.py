"""Votes under a trustees' key the service does not hold: the count waits for the trustees,
any two of three open it, and nothing less opens anything."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from conftest import side_service
from journey import call, cluster_votes, eventually, inbox_of, submitted
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from domain.kernel.errors import BallotError
from domain.proposal.states import VoteStage
from domain.voting.election_key import KeyShare, partially_decrypt
from domain.voting.sealed_ballot import SealedBallot, context, count_context
from infra.trustee_keys import secret_exponent
from services.application.trustee import Refused, share_for
from services.cli.ballot import Refused as BallotRefused
from services.cli.ballot import sealed_for
from services.cli.main import app as cli

pytestmark = pytest.mark.integration
FIRST, LAST = {"Idempotency-Key": "share-1"}, {"Idempotency-Key": "share-3"}


def trustee(folder: Path, index: int) -> KeyShare:
    return KeyShare.from_json(json.loads((folder / f"trustee-{index}.json").read_text()))


def test_the_ceremony_writes_a_public_key_and_one_private_share_per_trustee(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    out = tmp_path / "keys"
    args = ["trustees", "ceremony", "--out", str(out), "--trustees", "3", "--threshold", "2"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "election_key.json",
        "trustee-1.json",
        "trustee-2.json",
        "trustee-3.json",
    ]
    assert (out / "trustee-2.json").stat().st_mode & 0o077 == 0
    assert "secret" not in (out / "election_key.json").read_text()
    again = runner.invoke(cli, args)  # never over an existing key
    assert again.exit_code == 2 and "not empty" in again.output


async def test_two_of_three_trustees_open_a_count_the_service_cannot(
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
        "awards-trustees",
        executor,
        election_key=keys / "election_key.json",
    ) as (runtime, api):
        assert runtime.custody.shares == ()  # the service holds no part of the key
        pid = await submitted(api)
        body = await cluster_votes(api, pid, ["yes", "no", "yes", "yes", "abstain", "yes"])
        assert body["state"] == "cluster_voting" and body["votes"]["cluster"]["counting"]
        path = f"/api/proposals/{pid}/votes/cluster"
        count = await call(api, "GET", f"{path}/count", "auditor")
        assert (count["ballots"], count["shares_missing"]) == (6, 2)
        await eventually(
            lambda: inbox_of(api, "council.2"),
            lambda a: [item["counting"] for item in a["items"] if item["id"] == pid] == [True],
        )

        # A trustee's side refuses a server that passes off one ballot as the totals.
        single = SealedBallot.from_json(count["box"][0])
        dressed = {**count, "totals": [ct.to_json() for ct in single.selections]}
        with pytest.raises(Refused, match="not the product of its box"):
            share_for(pid, "cluster", dressed, trustee(keys, 1))

        first = share_for(pid, "cluster", count, trustee(keys, 1))
        answer = await call(
            api, "POST", f"{path}/shares", "council.1", json={"share": first}, headers=FIRST
        )
        assert answer["state"] == "cluster_voting" and "1 more needed" in answer["message"]
        # With one share and everything the service holds, the count stays shut.
        with pytest.raises(BallotError, match="needs 2 trustees"):
            runtime.app.proposal(UUID(pid)).count(VoteStage.CLUSTER)

        await call(api, "POST", f"{path}/shares", "council.2", 422, json={"share": first})
        await call(api, "POST", f"{path}/shares", "ninh-binh.proposer", 403, json={"share": first})
        # A share that opens one ballot instead of the totals is refused by the workflow.
        key_share = trustee(keys, 3)
        ctx = count_context(context(pid, "cluster", runtime.custody.key))
        lone = partially_decrypt(key_share, single.selections, ctx, secret_exponent)
        refused = await call(
            api, "POST", f"{path}/shares", "council.3", 422, json={"share": lone.to_json()}
        )
        assert "does not prove itself" in refused["detail"]

        last = share_for(pid, "cluster", count, key_share)
        done = await call(
            api, "POST", f"{path}/shares", "council.3", json={"share": last}, headers=LAST
        )
        assert done["state"] == "appraisal"
        # Each share repeated with its key answers as it did, though the count has closed.
        again = [
            await call(api, "POST", f"{path}/shares", user, json={"share": share}, headers=key)
            for user, share, key in (("council.1", first, FIRST), ("council.3", last, LAST))
        ]
        assert again == [answer, done]
        done = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
        result = done["votes"]["cluster"]["result"]
        assert result["tally"] == {"yes": 4, "no": 1, "abstain": 1}
        assert result["outcome"] == "approved"
        await eventually(
            lambda: inbox_of(api, "council.2"),
            lambda a: pid not in [item["id"] for item in a["items"]],
        )
        record = await call(api, "GET", f"/api/audit/proposals/{pid}", "auditor")
        [tally] = record["tallies"]
        assert tally["consistent"] and tally["trustee_shares"] == [1, 3]
        shares = [e for e in record["events"] if e["type"] == "TallyShareSubmitted"]
        assert [(e["actor"], e["data"]["share"]["trustee"]) for e in shares] == [
            ("council.1", 1),
            ("council.3", 3),
        ]


async def test_a_ballot_sealed_on_the_voters_machine_is_cast_and_tracked(
    api: httpx.AsyncClient,
) -> None:
    pid = await submitted(api)
    count = await call(api, "GET", f"/api/proposals/{pid}/votes/cluster/count", "auditor")
    fingerprint = count["election_key"]["fingerprint"]
    with pytest.raises(BallotRefused, match="not the published key"):
        sealed_for(pid, "cluster", count, "yes", expect_key="00ff")
    ballot = sealed_for(pid, "cluster", count, "no", expect_key=fingerprint[:12])
    answer = await call(
        api,
        "POST",
        f"/api/proposals/{pid}/cluster-votes",
        "thanh-hoa.member",
        json={"ballot": ballot.to_json()},
    )
    assert answer["tracker"] == ballot.tracker
    # The same sealed ballot cannot be cast again by another member: it would copy a vote.
    copied = await call(
        api,
        "POST",
        f"/api/proposals/{pid}/cluster-votes",
        "nghe-an.member",
        422,
        json={"ballot": ballot.to_json()},
    )
    assert "already cast" in copied["detail"]
    # Nor can a ballot sealed for another proposal's vote.
    other = await submitted(api)
    foreign = await call(
        api,
        "POST",
        f"/api/proposals/{other}/cluster-votes",
        "nghe-an.member",
        422,
        json={"ballot": ballot.to_json()},
    )
    assert "for this vote" in foreign["detail"]
