"""Deadlines, worker restarts and retried activities: the process survives and writes once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from conftest import make_settings
from journey import call, cluster_votes, submitted, wait_for
from temporalio import activity
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.kernel.actor import Actor, Role
from domain.proposal.commands import RecordBallot
from domain.proposal.states import VoteStage
from domain.voting.ballot import Tally
from services.activities.proposal import ProposalActivities
from services.api.app import create_app
from services.application.seed import seed
from services.runtime import Runtime, build_application
from workflows.messages import StepInput, StepOutcome
from workflows.proposal import TAKE_STEP, ProposalWorkflow

pytestmark = pytest.mark.integration


@asynccontextmanager
async def side_api(
    settings_dir: Path, database_url: str, client: Client, task_queue: str
) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    runtime = Runtime.build(make_settings(settings_dir, task_queue), database_url, client)
    seed(runtime.directory)
    transport = httpx.ASGITransport(app=create_app(runtime))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://awards.test") as api:
            yield runtime, api
    finally:
        runtime.close()


def worker_for(
    client: Client, task_queue: str, activities: ProposalActivities, executor: ThreadPoolExecutor
) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ProposalWorkflow],
        activities=activities.all(),
        activity_executor=executor,
    )


async def test_quorum_failure_at_the_deadline_is_a_recorded_outcome(
    database_url: str,
    time_skipping_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
    tmp_path: Path,
) -> None:
    client = time_skipping_env.client
    async with side_api(tmp_path, database_url, client, "awards-deadline") as (runtime, api):
        activities = ProposalActivities(runtime.app, runtime.directory, runtime.custody)
        async with worker_for(client, "awards-deadline", activities, executor):
            pid = await submitted(api)
            await cluster_votes(api, pid, ["yes", "yes"])  # 2 of 6: below the 2/3 quorum
            await time_skipping_env.sleep(timedelta(days=8))
            await wait_for(lambda: runtime.app.proposal(UUID(pid)).is_closed)
            assert await client.get_workflow_handle(pid).result() == "rejected"
        proposal = runtime.app.proposal(UUID(pid))
        types = [e["type"] for e in runtime.app.history(UUID(pid))]
    result = proposal.votes["cluster"].result
    assert result is not None and result.outcome == "no_quorum"
    assert result.reason == "deadline passed"
    assert result.tally == Tally(yes=2)
    assert types[-4:] == [
        "DeadlineMissed",
        "BallotBoxSealed",
        "TallyShareSubmitted",
        "VoteClosed",
    ]


async def test_a_missed_appraisal_deadline_flags_the_proposal_overdue(
    database_url: str,
    time_skipping_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
    tmp_path: Path,
) -> None:
    client = time_skipping_env.client
    async with side_api(tmp_path, database_url, client, "awards-appraisal") as (runtime, api):
        activities = ProposalActivities(runtime.app, runtime.directory, runtime.custody)
        async with worker_for(client, "awards-appraisal", activities, executor):
            pid = await submitted(api, "ninh-binh.proposer", "vusta_certificate")
            body = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
            assert body["state"] == "appraisal" and body["appraisal"]["overdue"] is False
            await time_skipping_env.sleep(timedelta(days=21))
            for _ in range(200):
                body = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
                if body["appraisal"]["overdue"]:
                    break
                await time_skipping_env.sleep(timedelta(hours=1))
            assert body["appraisal"]["overdue"] is True
            assert body["state"] == "appraisal"  # escalated, not closed
            body = await call(
                api,
                "POST",
                f"/api/proposals/{pid}/appraisal",
                "vusta.secretary",
                json={"action": "approve"},
            )
            assert body["state"] == "council_voting"


async def test_a_restarted_worker_loses_nothing(
    database_url: str,
    temporal_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
    tmp_path: Path,
) -> None:
    client = temporal_env.client
    async with side_api(tmp_path, database_url, client, "awards-restart") as (runtime, api):
        first = ProposalActivities(runtime.app, runtime.directory, runtime.custody)
        async with worker_for(client, "awards-restart", first, executor):
            pid = await submitted(api)
            body = await cluster_votes(api, pid, ["yes", "yes", "no"])
            electorate = body["votes"]["cluster"]["electorate"]
        # No worker now: a ballot sent meanwhile waits in Temporal, it is not lost.
        pending = asyncio.create_task(
            call(
                api,
                "POST",
                f"/api/proposals/{pid}/cluster-votes",
                electorate[3].removeprefix("lhh-") + ".member",
                json={"choice": "yes"},
            )
        )
        fresh_app = build_application(database_url)
        second = ProposalActivities(fresh_app, runtime.directory, runtime.custody)
        try:
            async with worker_for(client, "awards-restart", second, executor):
                await pending
                for unit in electorate[4:]:
                    body = await call(
                        api,
                        "POST",
                        f"/api/proposals/{pid}/cluster-votes",
                        unit.removeprefix("lhh-") + ".member",
                        json={"choice": "yes"},
                    )
        finally:
            fresh_app.close()
        history = runtime.app.history(UUID(pid))
        proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    assert body["state"] == "appraisal"
    assert proposal["votes"]["cluster"]["result"]["tally"] == {"yes": 5, "no": 1, "abstain": 0}
    assert sum(e["type"] == "BallotRecorded" for e in history) == 6


class LosesTheFirstAnswer(ProposalActivities):
    """Commits, then fails as if the connection dropped before the answer got back."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime.app, runtime.directory, runtime.custody)
        self.failed: set[str] = set()

    @activity.defn(name=TAKE_STEP)
    def take_step(self, step: StepInput) -> StepOutcome:
        result = super().take_step(step)
        key = step.commands[0].key
        if key not in self.failed:
            self.failed.add(key)
            raise RuntimeError("connection lost after commit")
        return result


async def test_a_retried_activity_writes_one_event(
    database_url: str,
    temporal_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
    tmp_path: Path,
) -> None:
    client = temporal_env.client
    async with side_api(tmp_path, database_url, client, "awards-retry") as (runtime, api):
        flaky = LosesTheFirstAnswer(runtime)
        async with worker_for(client, "awards-retry", flaky, executor):
            pid = await submitted(api)
            body = await cluster_votes(api, pid, ["yes"] * 6)
        types = [e["type"] for e in runtime.app.history(UUID(pid))]
    assert body["state"] == "appraisal"
    assert len(flaky.failed) == 7  # every step (submit, 6 ballots) failed once and was retried
    assert types.count("Submitted") == 1
    assert types.count("VoteOpened") == 1
    assert types.count("BallotRecorded") == 6
    assert types.count("VoteClosed") == 1
    assert types.count("AppraisalOpened") == 1


async def test_applying_a_step_twice_with_one_key_writes_once(
    runtime: Runtime, api: httpx.AsyncClient
) -> None:
    pid = await submitted(api)
    proposal = runtime.app.proposal(UUID(pid))
    voter = proposal.votes["cluster"].electorate[0]
    actor = Actor("x.member", Role.CLUSTER_MEMBER)
    command = RecordBallot(actor=actor, key="test-key-1", stage=VoteStage.CLUSTER, voter=voter)
    runtime.app.apply(UUID(pid), [command])
    version = runtime.app.proposal(UUID(pid)).version
    runtime.app.apply(UUID(pid), [command])
    assert runtime.app.proposal(UUID(pid)).version == version
