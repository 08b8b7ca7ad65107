"""When Temporal is away the API says what happened (202 for a stored draft, 503 for a step
not taken) and loses nothing; the worker starts the draft's process once Temporal is back."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest
from conftest import make_settings, side_service
from journey import attach, call, token
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from infra.temporal import data_converter, free_port
from services.api.app import create_app
from services.application.process_starter import ProcessStarts, start_pending
from services.application.seed import seed
from services.runtime import Runtime

pytestmark = pytest.mark.integration

DRAFT = {
    "form": "vusta_medal",
    "year": 2026,
    "title": "Kỷ niệm chương",
    "nominee": {"kind": "individual", "name": "Lê Minh Châu"},
}


def _drafts(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM awards_events WHERE topic LIKE %s", ("%Proposal.Nominated",)
        ).fetchone()
    return int(row[0]) if row else 0


async def test_temporal_away_saves_the_draft_with_a_202_and_its_process_starts_later(
    fresh_database: str,
    tmp_path: Path,
    payload_keys: list[tuple[str, bytes]],
    temporal_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
) -> None:
    nowhere = await Client.connect(
        f"127.0.0.1:{free_port()}", lazy=True, data_converter=data_converter(payload_keys)
    )
    away = Runtime.build(make_settings(tmp_path, "awards-away"), fresh_database, nowhere)
    seed(away.directory)
    transport = httpx.ASGITransport(app=create_app(away))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://awards.test") as api:
            created = await api.post(
                "/api/proposals", headers=token("ninh-binh.proposer"), json=DRAFT
            )
            assert created.status_code == 202, created.text
            assert created.headers["content-type"] == "application/json"
            body = created.json()
            pid = body["id"]
            assert created.headers["Location"] == f"/api/proposals/{pid}"
            assert body["state"] == "draft" and body["process"] == "pending"
            assert "Đã lưu bản dự thảo" in body["message"] and "saved" in body["message_en"]
            kept = await api.get(f"/api/proposals/{pid}", headers=token("auditor"))
            assert kept.status_code == 200 and kept.json()["state"] == "draft"
            assert _drafts(fresh_database) == 1
            submit = await api.post(
                f"/api/proposals/{pid}/submit", headers=token("ninh-binh.proposer")
            )
            assert submit.status_code == 503, submit.text  # a step not taken: nothing written
            health = await api.get("/health")
            assert health.status_code == 503
            assert health.json()["checks"]["database"] == "ok"
    finally:
        away.close()

    async with side_service(
        tmp_path / "back", fresh_database, temporal_env.client, "awards-away", executor
    ) as (runtime, api):
        runtime.follower.catch_up()
        starts = ProcessStarts(runtime.pool)
        await start_pending(starts, runtime.process)  # the background loop may have been first
        assert starts.pending() == []
        described = await temporal_env.client.get_workflow_handle(pid).describe()
        assert described.task_queue == "awards-away"
        assert await start_pending(starts, runtime.process) == 0  # never started twice
        for kind in ("request_letter", "achievement_report"):
            await attach(api, pid, kind)
        submitted = await call(api, "POST", f"/api/proposals/{pid}/submit", "ninh-binh.proposer")
        assert submitted["state"] in ("submitted", "appraisal")
        assert _drafts(fresh_database) == 1
