"""Session fixtures: a fresh PostgreSQL database and real Temporal servers for the whole run."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import pytest_asyncio
from journey import SECRET
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from infra.codec import generate_key
from infra.postgres import (
    EmbeddedPostgres,
    create_database,
    drop_database,
    wait_until_ready,
    with_database,
)
from infra.settings import Settings
from infra.temporal import data_converter, temporal_binary, test_server_binary
from services.api.app import create_app
from services.application.seed import seed
from services.runtime import Runtime
from services.worker import build_worker, run_background

# Existing tests read English details; the language tests ask for what they check.
_ENGLISH = {"Accept-Language": "en"}


# How long a Temporal server may take to start: the SDK's 5 s is too short on a loaded machine.
STARTUP = timedelta(seconds=60)


@pytest.fixture(scope="session")
def payload_keys() -> list[tuple[str, bytes]]:
    return [("test", generate_key())]


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database on AWARDS_TEST_DATABASE_URL's server, else on an embedded server."""
    server = os.environ.get("AWARDS_TEST_DATABASE_URL")
    embedded: EmbeddedPostgres | None = None
    folder: Path | None = None
    if server is None:
        folder = Path(tempfile.mkdtemp(prefix="awards-pg-"))
        embedded = EmbeddedPostgres.start(folder)
        server = embedded.url
    else:
        try:
            wait_until_ready(server, timeout_s=10)
        except psycopg.OperationalError as error:
            pytest.fail(
                f"PostgreSQL at AWARDS_TEST_DATABASE_URL is not reachable: {error}", pytrace=False
            )
    name = f"awards_test_{secrets.token_hex(4)}"
    create_database(server, name)
    try:
        yield with_database(server, name)
    finally:
        drop_database(server, name)
        if embedded is not None and folder is not None:
            embedded.stop()
            shutil.rmtree(folder, ignore_errors=True)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def temporal_env(payload_keys: list[tuple[str, bytes]]) -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        data_converter=data_converter(payload_keys),
        dev_server_startup_timeout=STARTUP,
    )
    yield env
    await env.shutdown()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def time_skipping_env(
    payload_keys: list[tuple[str, bytes]],
) -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=test_server_binary(),
        data_converter=data_converter(payload_keys),
        test_server_startup_timeout=STARTUP,
    )
    yield env
    await env.shutdown()


def make_settings(data_dir: Path, task_queue: str, **overrides: Any) -> Settings:
    return Settings(data_dir=data_dir, secret_key=SECRET, task_queue=task_queue, **overrides)


@pytest.fixture
def fresh_database(database_url: str) -> Iterator[str]:
    """A database of its own, for a test that tampers with what it stores."""
    name = f"awards_own_{secrets.token_hex(4)}"
    server = with_database(database_url, "postgres")
    create_database(server, name)
    yield with_database(database_url, name)
    drop_database(server, name)


@asynccontextmanager
async def background(runtime: Runtime) -> AsyncIterator[None]:
    """What a worker process runs beside the worker: the read models, the process starter."""
    loops = asyncio.create_task(run_background(runtime))
    try:
        yield
    finally:
        loops.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loops


@asynccontextmanager
async def side_service(
    data_dir: Path,
    database: str,
    client: Client,
    task_queue: str,
    executor: ThreadPoolExecutor,
    **overrides: Any,
) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    """A runtime, worker and API of their own (own task queue, settings, maybe database)."""
    runtime = Runtime.build(make_settings(data_dir, task_queue, **overrides), database, client)
    seed(runtime.directory)
    transport = httpx.ASGITransport(app=create_app(runtime))
    try:
        async with (
            build_worker(client, task_queue, runtime, executor),
            background(runtime),
            httpx.AsyncClient(
                transport=transport, base_url="http://awards.test", headers=_ENGLISH
            ) as api,
        ):
            yield runtime, api
    finally:
        runtime.close()


@pytest.fixture(scope="session")
def executor() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=16) as pool:
        yield pool


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def runtime(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Runtime]:
    settings = make_settings(tmp_path_factory.mktemp("awards"), "awards-test")
    built = Runtime.build(settings, database_url, temporal_env.client)
    seed(built.directory)
    yield built
    built.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def worker(
    runtime: Runtime, temporal_env: WorkflowEnvironment, executor: ThreadPoolExecutor
) -> AsyncIterator[Worker]:
    running = build_worker(temporal_env.client, runtime.settings.task_queue, runtime, executor)
    async with running, background(runtime):
        yield running


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def api(runtime: Runtime, worker: Worker) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://awards.test", headers=_ENGLISH
    ) as client:
        yield client
