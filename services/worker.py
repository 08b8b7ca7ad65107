"""The Temporal worker, and the loops that run beside it: read models, starter, sealer."""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from services.activities.cluster_year import YearActivities
from services.activities.council_session import SessionActivities
from services.activities.proposal import ProposalActivities
from services.application.cluster_year_sources import rulebook_version
from services.application.process_starter import ProcessStarts, keep_starting
from services.audit.sealer import run_sealer
from services.projections.feed import run_feed
from services.projections.log_follower import LogFollower
from services.projections.own_thread import run_in_own_thread
from services.runtime import Runtime
from workflows.cluster_year import ClusterYearWorkflow
from workflows.council_session import CouncilSessionWorkflow
from workflows.proposal import ProposalWorkflow

# The pure modules the workflow uses are loaded once, outside the sandbox, instead of again in
# every workflow run's sandbox (Temporal's advice for models and deterministic code): the domain
# (no I/O, no clock, no randomness: DESIGN.md) and the workflows' dataclass messages. The
# workflow's own modules stay sandboxed, so a forbidden call there is still caught.
PASSED_THROUGH = (
    "domain",
    "workflows.messages",
    "workflows.cluster_year_messages",
    "workflows.council_session_messages",
)


def workflow_runner() -> SandboxedWorkflowRunner:
    restrictions = SandboxRestrictions.default.with_passthrough_modules(*PASSED_THROUGH)
    return SandboxedWorkflowRunner(restrictions=restrictions)


def build_worker(
    client: Client,
    task_queue: str,
    runtime: Runtime,
    executor: Executor,
) -> Worker:
    activities = ProposalActivities(runtime.steps_app, runtime.directory, runtime.custody)
    year = YearActivities(
        runtime.app,
        runtime.custody,
        lambda code: rulebook_version(runtime, code).conference,
        runtime.calendars.calendar,  # the admin's recorded days off and make-up Saturdays
    )
    session = SessionActivities(runtime.steps_app, runtime.custody, client)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ProposalWorkflow, ClusterYearWorkflow, CouncilSessionWorkflow],
        activities=[*activities.all(), *year.all(), *session.all()],
        activity_executor=executor,
        workflow_runner=workflow_runner(),
    )


async def follow_event_log(follower: LogFollower) -> None:
    """A read model (the proposal list, the award register) follows the event log in a
    thread of its own (psycopg is blocking); cancelling this stops the thread and waits."""
    await run_in_own_thread(follower.follow, "log-follower")


async def run_background(runtime: Runtime) -> None:
    """Everything a worker process runs beside the Temporal worker, until cancelled. A task
    group, not gather: a cancelled gather returns as soon as its first loop has stopped, while
    the followers still wait for their threads, which then meet a closed pool."""
    async with asyncio.TaskGroup() as loops:
        loops.create_task(follow_event_log(runtime.follower))
        loops.create_task(keep_starting(ProcessStarts(runtime.pool), runtime.process))
        loops.create_task(run_sealer(runtime.pool, runtime.settings))
        loops.create_task(run_feed(runtime.feed))
        loops.create_task(follow_event_log(runtime.register.follower))
