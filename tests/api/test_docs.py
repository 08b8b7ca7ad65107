"""The API documents itself offline: /docs and /redoc from the package, problems in OpenAPI."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio

from services.api.app import create_app
from services.api.docs import PROBLEM_MEDIA_TYPE

PROBLEM_STATUSES = ("400", "401", "403", "404", "409", "422", "503")


@pytest_asyncio.fixture(loop_scope="session")
async def docs() -> AsyncIterator[httpx.AsyncClient]:
    # Documentation reads no runtime: an app without one answers these pages.
    transport = httpx.ASGITransport(app=create_app(None))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://awards.test") as client:
        yield client


def referenced_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href|url)\s*[=:(]\s*['"]?([^'"\s)>,]+)""", html)


async def test_docs_and_redoc_load_every_asset_from_the_app(docs: httpx.AsyncClient) -> None:
    for page in ("/docs", "/redoc"):
        response = await docs.get(page)
        assert response.status_code == 200
        html = response.text
        assert "//" not in re.sub(r"https?://awards\.test", "", html.replace("://", "//")), html
        urls = referenced_urls(html)
        assert any(url.endswith(".js") for url in urls), urls
        for url in urls:
            assert url.startswith("/"), f"{page} references {url} outside the app"
            asset = await docs.get(url)
            assert asset.status_code == 200, f"{page}: {url} answers {asset.status_code}"
            assert asset.content


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


async def test_every_operation_documents_problem_answers(docs: httpx.AsyncClient) -> None:
    document = (await docs.get("/openapi.json")).json()
    assert "HTTPValidationError" not in str(document)
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance"}
    assert {"errors", "state", "id"} <= set(problem["properties"])
    for method, path, operation in operations(document):
        if path == "/health":
            continue
        for status in PROBLEM_STATUSES:
            content = operation["responses"][status]["content"]
            assert list(content) == [PROBLEM_MEDIA_TYPE], (method, path, status)
            assert content[PROBLEM_MEDIA_TYPE]["schema"] == {"$ref": "#/components/schemas/Problem"}
    upload = document["paths"]["/api/proposals/{proposal_id}/documents"]["post"]
    assert {"413", "415"} <= set(upload["responses"])


async def test_every_success_answer_is_described_by_a_schema(docs: httpx.AsyncClient) -> None:
    document = (await docs.get("/openapi.json")).json()
    for method, path, operation in operations(document):
        successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        assert successes, (method, path)
        for status, response in successes.items():
            content = response.get("content", {})
            assert content, (method, path, status)
            for media_type, described in content.items():
                schema = described.get("schema", {})
                assert schema not in ({}, None), (method, path, status, media_type)


async def test_creation_documents_the_repeat_and_the_draft_saved_without_temporal(
    docs: httpx.AsyncClient,
) -> None:
    document = (await docs.get("/openapi.json")).json()
    responses = document["paths"]["/api/proposals"]["post"]["responses"]
    schema_of = {
        status: responses[status]["content"]["application/json"]["schema"]["$ref"]
        for status in ("200", "201", "202")
    }
    assert schema_of == {
        "200": "#/components/schemas/ProposalView",
        "201": "#/components/schemas/ProposalView",
        "202": "#/components/schemas/DraftPending",
    }
    health = document["paths"]["/health"]["get"]["responses"]
    assert health["503"]["content"]["application/json"]["schema"]["$ref"].endswith("/Health")
