"""The cluster-year workflow on the time-skipping test server, with a stand-in store in memory:
deadline reminders and escalations fire, and a continue-as-new keeps the year going."""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
import pytest_asyncio
from journey import wait_for
from temporalio import activity
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.cluster_year.aggregate import ClusterYear, cluster_year_id
from domain.cluster_year.commands import Launch, OpenScoring, SetCriteria, SignPledge
from domain.cluster_year.criteria import template_to_json
from domain.kernel.actor import Actor, Role
from domain.rulebook.defaults import LAW_06_DECREE_98
from domain.rulebook.version import ConferenceRules, Deadline, YearStep
from infra import temporal
from services.application.cluster_year_steps import apply_year, load_year
from services.application.proposals import AwardsApplication
from workflows.cluster_year import ClusterYearWorkflow
from workflows.cluster_year_messages import (
    YEAR_STEP,
    YEAR_TIMERS,
    LaunchRequest,
    TimerQuery,
    Timers,
    YearCarry,
    YearInput,
    YearOutcome,
    YearRequest,
    YearStepInput,
)

MEMBERS = ["lhh-a", "lhh-b", "lhh-c"]
SECRETARY = Actor("vusta.secretary", Role.COUNCIL_SECRETARY)
HEAD = Actor("lhh-a.member", Role.CLUSTER_MEMBER)
QUEUE = "cluster-year-tests"


class StandInStore:
    """The year's activities over the real command handlers on in-memory persistence, with
    calendar days standing in for working days."""

    def __init__(self) -> None:
        self.app = AwardsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})

    @activity.defn(name=YEAR_STEP)
    def year_step(self, step: YearStepInput) -> YearOutcome:
        year = apply_year(self.app, UUID(step.year_id), step.commands, self)
        return YearOutcome(year.stage, [], year.line_ids, None, "")

    @activity.defn(name=YEAR_TIMERS)
    def year_timers(self, query: TimerQuery) -> Timers:
        days, rule = query.deadline.working_days, query.deadline
        return Timers(
            step=query.step,
            remind_at=query.start + timedelta(days=days - rule.remind_before),
            due_at=query.start + timedelta(days=days),
            escalate_at=query.start + timedelta(days=days + rule.escalate_after),
        )

    def conference_rules(self, rulebook_version: str) -> ConferenceRules:
        return ConferenceRules()

    def election_key(self) -> dict[str, Any]:
        raise AssertionError("no conference in these tests")

    def service_shares(self, year: ClusterYear) -> list[dict[str, Any]]:
        return []


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def time_skipping_env(
    payload_keys: list[tuple[str, bytes]],
) -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal.test_server_binary(),
        data_converter=temporal.data_converter(payload_keys),
        test_server_startup_timeout=timedelta(seconds=60),
    )
    yield env
    await env.shutdown()


@pytest.fixture
async def store(time_skipping_env: WorkflowEnvironment) -> AsyncIterator[StandInStore]:
    stand_in = StandInStore()
    with ThreadPoolExecutor(4) as pool:
        async with Worker(
            time_skipping_env.client,
            task_queue=QUEUE,
            workflows=[ClusterYearWorkflow],
            activities=[stand_in.year_step, stand_in.year_timers],
            activity_executor=pool,
        ):
            yield stand_in


async def launch(
    env: WorkflowEnvironment, group: str, max_updates: int = 500
) -> WorkflowHandle[Any, str]:
    year_id = cluster_year_id(group, 2024)
    deadlines = {
        YearStep.PLEDGE.value: Deadline(working_days=10, remind_before=3, escalate_after=2),
        YearStep.YEAR_END.value: Deadline(working_days=200),
    }
    carry = YearCarry(YearInput(str(year_id), group, 2024, deadlines, max_updates))
    handle = await env.client.start_workflow(
        ClusterYearWorkflow.run,
        carry,
        id=f"cluster-year-{group}-2024",
        task_queue=QUEUE,
        execution_timeout=timedelta(days=400),
    )
    command = Launch(
        actor=SECRETARY,
        key="launch",
        group_id=group,
        year=2024,
        scope="cluster",
        members=MEMBERS,
        head="lhh-a",
        deputy="lhh-b",
        rulebook_version=LAW_06_DECREE_98.code,
        plan={"document_id": "plan", "sha256": "c" * 64},
    )
    await handle.execute_update(ClusterYearWorkflow.launch, LaunchRequest(command))
    return handle


async def test_pledge_deadline_reminds_then_escalates(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await launch(time_skipping_env, "cum-remind")
    year_id = cluster_year_id("cum-remind", 2024)

    def notices() -> list[str]:
        return [notice["kind"] for notice in load_year(store.app, year_id).notices]

    await time_skipping_env.sleep(timedelta(days=8))
    await wait_for(lambda: notices() == ["reminder"])
    await time_skipping_env.sleep(timedelta(days=5))
    await wait_for(lambda: notices() == ["reminder", "escalation"])
    year = load_year(store.app, year_id)
    assert year.notices[1]["step"] == "pledge"
    assert (await handle.query(ClusterYearWorkflow.view)).stage == "pledge"


async def test_continue_as_new_keeps_the_year_going(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await launch(time_skipping_env, "cum-renew", max_updates=2)
    now = await time_skipping_env.get_current_time()
    for unit in MEMBERS:
        sign = SignPledge(
            actor=Actor(f"{unit}.member", Role.CLUSTER_MEMBER),
            key=f"sign-{unit}",
            unit=unit,
            at=now,
        )
        await handle.execute_update(ClusterYearWorkflow.step, YearRequest(sign))
    criteria = template_to_json(LAW_06_DECREE_98.criteria_templates[0])
    await handle.execute_update(
        ClusterYearWorkflow.step,
        YearRequest(SetCriteria(actor=HEAD, key="criteria", unit="lhh-a", criteria=criteria)),
    )
    result = await handle.execute_update(
        ClusterYearWorkflow.step, YearRequest(OpenScoring(actor=HEAD, key="open", unit="lhh-a"))
    )
    assert result.stage == "scoring"
    view = await handle.query(ClusterYearWorkflow.view)
    assert view.runs >= 2 and view.stage == "scoring" and view.step == "year_end"
    year = load_year(store.app, cluster_year_id("cum-renew", 2024))
    assert sorted(year.pledges) == MEMBERS
