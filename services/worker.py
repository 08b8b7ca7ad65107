"""The Temporal worker: the proposal workflow and the activities that write its steps."""

from __future__ import annotations

from concurrent.futures import Executor

from temporalio.client import Client
from temporalio.worker import Worker

from services.activities import ProposalActivities
from services.runtime import Runtime
from workflows.proposal import ProposalWorkflow


def build_worker(
    client: Client,
    task_queue: str,
    runtime: Runtime,
    executor: Executor,
) -> Worker:
    activities = ProposalActivities(runtime.app, runtime.directory, runtime.custody)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ProposalWorkflow],
        activities=activities.all(),
        activity_executor=executor,
    )
