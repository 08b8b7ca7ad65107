"""Browser tests: the pages on a real uvicorn server (its own thread, the session's runtime and
worker), driven by Playwright through Debian's chromium. Never `playwright install`."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
import uvicorn
from temporalio.worker import Worker

from e2e.browsing import PASSWORD
from services.api.app import create_app
from services.application.accounts import Accounts, SignInRefused
from services.application.seed import demo_password
from services.runtime import Runtime

CHROMIUM = os.environ.get("AWARDS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

try:
    from playwright.async_api import Browser, BrowserContext, async_playwright
except ImportError:  # the test extra is not installed
    async_playwright = None  # type: ignore[assignment]


def _skip_without_browser() -> None:
    if async_playwright is None:
        pytest.skip("playwright is not installed: pip install -e '.[test]'")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def site(runtime: Runtime, worker: Worker) -> Iterator[str]:
    """The whole application (API and pages) served by uvicorn from a thread of its own."""
    port = _free_port()
    config = uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    started = threading.Event()

    def wait_started() -> None:
        while thread.is_alive() and not server.started:
            started.wait(0.05)

    wait_started()
    if not server.started:
        pytest.fail("the uvicorn server of the browser tests did not start", pytrace=False)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def accounts(runtime: Runtime, site: str) -> Accounts:
    """The accounts the served application signs people in with."""
    made = Accounts(runtime.app, runtime.pool, runtime.directory)
    made.ensure_schema()
    return made


@pytest.fixture(scope="session")
def account_for(accounts: Accounts, runtime: Runtime) -> Callable[[str], str]:
    """A demo user who signs in with PASSWORD: the account is opened with it the first time a
    test needs it, or, when the demo seed of `awards up` (test_sign_in runs it) opened it
    first with its demo password, changed to PASSWORD as its owner would change it."""
    ready: set[str] = set()

    def ensure(username: str) -> str:
        if username in ready:
            return username
        if not accounts.ensure_account(username, PASSWORD, "browser test"):
            seeded = demo_password(runtime.secret, username)
            with contextlib.suppress(SignInRefused):  # not the demo one: PASSWORD already
                accounts.change_password(username, seeded, PASSWORD)
        ready.add(username)
        return username

    return ensure


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    _skip_without_browser()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
        yield launched
        await launched.close()


@pytest_asyncio.fixture(loop_scope="session")
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile per test: no cookie of another test's sign-in."""
    made = await browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    made.set_default_timeout(15_000)
    try:
        yield made
    finally:
        with contextlib.suppress(Exception):
            await made.close()
