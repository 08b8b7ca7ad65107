"""The adapters on their own: URLs, PostgreSQL, Temporal, payload keys, document stores."""

from __future__ import annotations

import stat
import uuid
from pathlib import Path

import psycopg
import pytest
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import (
    GetSystemInfoRequest,
    GetWorkflowExecutionHistoryRequest,
)
from temporalio.testing import WorkflowEnvironment

from infra.codec import EncryptionCodec, PayloadKeyError, generate_key
from infra.documents import FolderDocumentStore, PostgresDocumentStore
from infra.postgres import (
    EmbeddedPostgres,
    create_database,
    drop_database,
    eventsourcing_env,
    with_database,
)
from infra.settings import Settings
from infra.temporal import DevServer, connect, free_port

pytestmark = pytest.mark.integration


def test_a_database_url_becomes_eventsourcing_settings() -> None:
    env = eventsourcing_env("postgresql://awards:p%40ss@db.example:6543/awards_prod")
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert env["POSTGRES_HOST"] == "db.example" and env["POSTGRES_PORT"] == "6543"
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("awards", "p@ss")
    assert env["POSTGRES_DBNAME"] == "awards_prod"


def test_a_socket_url_without_password_becomes_eventsourcing_settings() -> None:
    for url in ("postgresql://postgres@/postgres?host=/tmp/Pg", "postgres://postgres@%2Ftmp%2FPg/"):
        env = eventsourcing_env(url)
        assert (env["POSTGRES_HOST"], env["POSTGRES_PASSWORD"]) == ("/tmp/Pg", "")
        assert env["POSTGRES_DBNAME"] == "postgres"


def test_urls_eventsourcing_cannot_honour_are_refused() -> None:
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        eventsourcing_env("mysql://x@y/z")
    with pytest.raises(ValueError, match="sslmode"):
        eventsourcing_env("postgresql://db.example/awards?sslmode=verify-full")
    with pytest.raises(ValueError, match="no host"):
        eventsourcing_env("postgresql:///awards")


def test_the_embedded_server_starts_once_and_stops(tmp_path: Path) -> None:
    server = EmbeddedPostgres.start(tmp_path)
    try:
        with psycopg.connect(server.url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        assert EmbeddedPostgres.start(tmp_path).url == server.url
    finally:
        server.stop()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(server.url, connect_timeout=2)


def test_a_database_is_created_once_and_dropped_while_in_use(database_url: str) -> None:
    server = with_database(database_url, "postgres")
    name = f"awards_infra_{uuid.uuid4().hex[:8]}"
    create_database(server, name)
    create_database(server, name)
    bystander = psycopg.connect(with_database(server, name), autocommit=True)
    try:
        drop_database(server, name)
    finally:
        bystander.close()
    with psycopg.connect(server) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert found is None


def test_payload_keys_are_generated_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", payload_keys=None)
    keys = settings.resolved_payload_keys()
    assert keys == settings.resolved_payload_keys() and len(keys[0][1]) == 32
    assert stat.S_IMODE((tmp_path / "data" / "payload_keys").stat().st_mode) == 0o600


def test_a_payload_key_shorter_than_aes_256_is_refused() -> None:
    with pytest.raises(PayloadKeyError, match="32 bytes"):
        EncryptionCodec([("k1", generate_key()[:16])])


async def test_the_dev_server_starts_and_stops(tmp_path: Path) -> None:
    server = DevServer.start(tmp_path, free_port(), free_port())
    try:
        client = await connect(server.address, "default", [("k", generate_key())])
        await client.workflow_service.get_system_info(GetSystemInfoRequest())
        with pytest.raises(RuntimeError, match="AWARDS_TEMPORAL_ADDRESS"):
            DevServer.start(tmp_path, int(server.address.rsplit(":", 1)[1]), free_port())
    finally:
        server.stop()


async def test_workflow_input_is_encrypted_in_temporal_history(
    temporal_env: WorkflowEnvironment,
) -> None:
    client = temporal_env.client
    workflow_id = f"infra-{uuid.uuid4()}"
    # No worker serves this queue: the workflow only needs to exist to have a history.
    handle = await client.start_workflow(
        "Ballot", {"choice": "secret-yes"}, id=workflow_id, task_queue=f"idle-{workflow_id}"
    )
    try:
        history = await client.workflow_service.get_workflow_execution_history(
            GetWorkflowExecutionHistoryRequest(
                namespace=client.namespace, execution=WorkflowExecution(workflow_id=workflow_id)
            )
        )
    finally:
        await handle.terminate()
    [payload] = history.history.events[0].workflow_execution_started_event_attributes.input.payloads
    assert payload.metadata["encoding"] == b"binary/encrypted"
    assert b"secret-yes" not in history.SerializeToString()


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
