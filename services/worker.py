"""The Temporal worker: the proposal workflow and the activities that write its steps."""

from __future__ import annotations

from concurrent.futures import Executor

from temporalio.client import Client
from temporalio.worker import Worker

from services.activities import ProposalActivities
from services.application import AwardsApplication
from services.directory import Directory
from workflows.proposal import ProposalWorkflow


def build_worker(
    client: Client,
    task_queue: str,
    app: AwardsApplication,
    directory: Directory,
    executor: Executor,
) -> Worker:
    activities = ProposalActivities(app, directory)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ProposalWorkflow],
        activities=activities.all(),
        activity_executor=executor,
    )
