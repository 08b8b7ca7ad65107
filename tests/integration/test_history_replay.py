"""Recorded proposal-workflow histories, from before and after a change, replay on today's code."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import side_service
from journey import approve_appraisal, attach, call, cluster_votes, council_votes, submitted
from temporalio.client import Client, WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from infra.temporal import data_converter
from services.worker import workflow_runner
from workflows.proposal import ProposalWorkflow

pytestmark = pytest.mark.integration

HISTORIES = Path(__file__).parent / "histories"
# The recorded payloads are encrypted; this fixed test key lets the replayer read them.
HISTORY_KEYS = [("history-fixture", bytes(range(32)))]


@pytest.mark.parametrize("path", sorted(HISTORIES.glob("*.json")), ids=lambda p: p.stem)
async def test_recorded_history_replays_on_todays_code(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(
        workflows=[ProposalWorkflow],
        data_converter=data_converter(HISTORY_KEYS),
        workflow_runner=workflow_runner(),  # the worker's own sandbox settings
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None


@pytest.mark.skipif(
    not os.environ.get("AWARDS_RECORD_HISTORY"), reason="set AWARDS_RECORD_HISTORY=<name> to record"
)
async def test_record_a_history(
    temporal_env: WorkflowEnvironment,
    database_url: str,
    executor: ThreadPoolExecutor,
    tmp_path: Path,
) -> None:
    """Not a check: records one lifecycle (hold and release, a return and resubmission, both
    votes, the decision) into histories/<AWARDS_RECORD_HISTORY>.json."""
    client = Client(
        temporal_env.client.service_client,
        namespace=temporal_env.client.namespace,
        data_converter=data_converter(HISTORY_KEYS),
    )
    async with side_service(tmp_path, database_url, client, "awards-history", executor) as (
        _,
        api,
    ):
        pid = await submitted(api)
        secretary = "vusta.secretary"
        for step in ("hold", "release"):
            await call(api, "POST", f"/api/proposals/{pid}/{step}", secretary, json={"reason": "x"})
        await cluster_votes(api, pid, ["yes"] * 6)
        returned = {"action": "return", "reason": "Thiếu biên bản"}
        await call(api, "POST", f"/api/proposals/{pid}/appraisal", secretary, json=returned)
        await attach(api, pid, "review_minutes")
        await call(api, "POST", f"/api/proposals/{pid}/submit", "ninh-binh.proposer")
        await approve_appraisal(api, pid)
        await council_votes(api, pid, ["yes"] * 5)
        decision = {"outcome": "awarded", "number": "99/QĐ-LHHVN"}
        body = await call(api, "POST", f"/api/proposals/{pid}/decision", "president", json=decision)
        assert body["state"] == "decided"
        history = await client.get_workflow_handle(pid).fetch_history()
    HISTORIES.mkdir(exist_ok=True)
    target = HISTORIES / f"{os.environ['AWARDS_RECORD_HISTORY']}.json"
    target.write_text(json.dumps(json.loads(history.to_json()), indent=1) + "\n")
