"""Running a blocking follower in a thread of its own until its task is cancelled."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


async def run_in_own_thread(follow: Callable[[threading.Event], None], name: str) -> None:
    """Run ``follow(stop)`` in a thread of its own; cancelling this sets ``stop`` and waits.

    Not the loop's default executor: a follower holds its thread for the life of the process,
    and the default pool has only min(32, cores + 4) threads — six on two cores. A few
    followers (two services in one process, say) took every one of them, and each
    ``asyncio.to_thread`` of every request then waited for ever."""
    stop = threading.Event()
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    done = asyncio.get_running_loop().run_in_executor(executor, follow, stop)
    try:
        await asyncio.shield(done)
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await done
        executor.shutdown(wait=False)
