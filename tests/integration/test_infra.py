"""The adapters on their own: URLs, the embedded PostgreSQL, the dev server, document stores."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest

from infra.codec import generate_key
from infra.documents import FolderDocumentStore, PostgresDocumentStore
from infra.postgres import EmbeddedPostgres, eventsourcing_env
from infra.temporal import DevServer, connect, free_port

pytestmark = pytest.mark.integration


def test_a_database_url_becomes_eventsourcing_settings() -> None:
    env = eventsourcing_env("postgresql://awards:p%40ss@db.example:6543/awards_prod")
    assert env["POSTGRES_HOST"] == "db.example" and env["POSTGRES_PORT"] == "6543"
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("awards", "p@ss")
    assert env["POSTGRES_DBNAME"] == "awards_prod"
    socket = eventsourcing_env("postgresql://postgres:@/postgres?host=/tmp/pg")
    assert socket["POSTGRES_HOST"] == "/tmp/pg"
    with pytest.raises(ValueError):
        eventsourcing_env("mysql://x@y/z")


def test_the_embedded_server_starts_and_answers(tmp_path: Path) -> None:
    server = EmbeddedPostgres.start(tmp_path)
    with psycopg.connect(server.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


async def test_the_dev_server_starts_and_stops(tmp_path: Path) -> None:
    server = DevServer.start(tmp_path, free_port(), free_port())
    try:
        client = await connect(server.address, "default", [("k", generate_key())])
        await client.workflow_service.get_system_info(GetSystemInfoRequest())
        with pytest.raises(RuntimeError, match="taken"):
            DevServer.start(tmp_path, int(server.address.rsplit(":", 1)[1]), free_port())
    finally:
        server.stop()


@pytest.mark.parametrize("kind", ["folder", "postgres"])
def test_document_content_is_stored_once_by_its_hash(
    kind: str, tmp_path: Path, database_url: str
) -> None:
    store = (
        FolderDocumentStore(tmp_path) if kind == "folder" else PostgresDocumentStore(database_url)
    )
    content = b"%PDF-1.4 " + kind.encode()
    digest = store.put(content, "application/pdf")
    assert store.put(content, "application/pdf") == digest
    assert store.get(digest) == content
    assert store.get("0" * 64) is None
