"""When Temporal is away the API says so (503 with a problem body) and loses nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from conftest import make_settings
from journey import token
from temporalio.client import Client

from infra.temporal import data_converter, free_port
from services.api.app import create_app
from services.runtime import Runtime
from services.seed import seed

pytestmark = pytest.mark.integration


async def test_temporal_away_is_a_503_and_the_draft_is_kept(
    database_url: str, tmp_path: Path, payload_keys: list[tuple[str, bytes]]
) -> None:
    nowhere = await Client.connect(
        f"127.0.0.1:{free_port()}", lazy=True, data_converter=data_converter(payload_keys)
    )
    runtime = Runtime.build(make_settings(tmp_path, "awards-nowhere"), database_url, nowhere)
    seed(runtime.directory)
    transport = httpx.ASGITransport(app=create_app(runtime))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://awards.test") as api:
            headers = {**token("ninh-binh.proposer"), "Idempotency-Key": "while-away"}
            created = await api.post(
                "/api/proposals",
                headers=headers,
                json={
                    "form": "vusta_medal",
                    "year": 2026,
                    "title": "Kỷ niệm chương",
                    "nominee": {"kind": "individual", "name": "Lê Minh Châu"},
                },
            )
            assert created.status_code == 503, created.text
            assert created.headers["content-type"].startswith("application/problem+json")
            pid = created.json()["id"]
            kept = await api.get(f"/api/proposals/{pid}", headers=token("auditor"))
            assert kept.status_code == 200 and kept.json()["state"] == "draft"
            submit = await api.post(
                f"/api/proposals/{pid}/submit", headers=token("ninh-binh.proposer")
            )
            assert submit.status_code == 503, submit.text
            health = await api.get("/health")
            assert health.status_code == 503
            assert health.json()["checks"]["database"] == "ok"
    finally:
        runtime.close()
