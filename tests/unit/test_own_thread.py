"""Followers that hold a thread for the life of the process leave the loop's threads free."""

from __future__ import annotations

import asyncio
import threading

from services.projections.own_thread import run_in_own_thread


async def test_many_followers_leave_to_thread_working() -> None:
    started = threading.Barrier(9)

    def follow(stop: threading.Event) -> None:
        started.wait()
        stop.wait()

    followers = [asyncio.create_task(run_in_own_thread(follow, f"f{n}")) for n in range(8)]
    await asyncio.to_thread(started.wait)  # every follower holds its thread now
    assert await asyncio.wait_for(asyncio.to_thread(lambda: 42), timeout=10) == 42
    for task in followers:
        task.cancel()
    await asyncio.gather(*followers, return_exceptions=True)
    assert all(task.done() for task in followers)
