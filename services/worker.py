"""The Temporal worker, and the loops that run beside it: read models, starter, sealer."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from concurrent.futures import Executor

from temporalio.client import Client
from temporalio.worker import Worker

from services.activities.proposal import ProposalActivities
from services.application.process_starter import ProcessStarts, keep_starting
from services.audit.sealer import run_sealer
from services.projections.feed import run_feed
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


async def follow_event_log(runtime: Runtime) -> None:
    """The proposal list follows the event log in a thread of its own (psycopg is blocking);
    cancelling this stops the thread and waits for it."""
    stop = threading.Event()
    done = asyncio.get_running_loop().run_in_executor(None, runtime.follower.follow, stop)
    try:
        await asyncio.shield(done)
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await done


async def run_background(runtime: Runtime) -> None:
    """Everything a worker process runs beside the Temporal worker, until cancelled."""
    await asyncio.gather(
        follow_event_log(runtime),
        keep_starting(ProcessStarts(runtime.pool), runtime.process),
        run_sealer(runtime.pool, runtime.settings),
        run_feed(runtime.feed),
    )
