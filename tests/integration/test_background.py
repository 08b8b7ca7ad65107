"""The loops a worker runs beside Temporal stop as a whole: once a cancelled run returns, every
loop has stopped, the read models' threads too, so the pool may be closed right after."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest
from conftest import make_settings
from journey import wait_for
from temporalio.testing import WorkflowEnvironment

from infra.postgres import Pool
from services.runtime import Runtime
from services.worker import run_background

pytestmark = pytest.mark.integration

FOLLOWERS = 3  # the proposal list, the award register and the feed each hold a listener


def in_use(pool: Pool) -> int:
    stats = pool.get_stats()
    return stats["pool_size"] - stats["pool_available"]


async def test_stopped_background_loops_give_back_every_connection_before_returning(
    tmp_path: Path, fresh_database: str, temporal_env: WorkflowEnvironment
) -> None:
    settings = make_settings(tmp_path, "awards-background")
    runtime = Runtime.build(settings, fresh_database, temporal_env.client)
    try:
        loops = asyncio.create_task(run_background(runtime))
        await wait_for(lambda: in_use(runtime.pool) >= FOLLOWERS)
        loops.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loops
        assert in_use(runtime.pool) == 0  # no thread still reading when the pool closes
    finally:
        runtime.close()
