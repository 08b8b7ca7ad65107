"""Errors through the whole service answer in Vietnamese by default and in English on request."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from journey import submitted, token
from temporalio.worker import Worker

from services.api.app import create_app
from services.runtime import Runtime

PROBLEM = "application/problem+json"
ENGLISH = {"Accept-Language": "en"}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def plain(runtime: Runtime, worker: Worker) -> AsyncIterator[httpx.AsyncClient]:
    """A client that sends no Accept-Language, as a browser or curl may not."""
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://awards.test") as client:
        yield client


def _problem(response: httpx.Response, status: int, language: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.headers["content-language"] == language
    body: dict[str, Any] = response.json()
    assert body["detail"] == body["i18n"][language]
    return body


async def test_an_unknown_proposal_is_a_404_in_vietnamese_or_english(
    plain: httpx.AsyncClient,
) -> None:
    path = f"/api/proposals/{uuid.uuid4()}"
    vi = _problem(await plain.get(path, headers=token("auditor")), 404, "vi")
    en = _problem(await plain.get(path, headers={**token("auditor"), **ENGLISH}), 404, "en")
    assert vi["type"] == en["type"] == "urn:awards:problem:not-found"
    assert vi["detail"] == f"không tìm thấy hồ sơ đề nghị {path.rsplit('/', 1)[1]}"
    assert en["detail"] == f"no proposal {path.rsplit('/', 1)[1]}"
    assert vi["i18n"] == en["i18n"]


async def test_submitting_twice_is_refused_by_the_workflow_in_both_languages(
    plain: httpx.AsyncClient,
) -> None:
    pid = await submitted(plain)
    again = f"/api/proposals/{pid}/submit"
    proposer = token("ninh-binh.proposer")
    vi = _problem(await plain.post(again, headers=proposer), 409, "vi")
    en = _problem(
        await plain.post(again, headers={**proposer, "Accept-Language": "en-US;q=0.8"}), 409, "en"
    )
    assert vi["type"] == en["type"] == "urn:awards:problem:illegal-transition"
    assert vi["state"] == en["state"] == "cluster_voting"
    # The step and the state name are translated, so the template crossed Temporal.
    assert vi["detail"].startswith(
        "không thể gửi hồ sơ đề nghị đang ở trạng thái “Đang bình xét tại Cụm”"
    )
    assert en["detail"].startswith("cannot submit a proposal in state cluster_voting")
    assert vi["title"] == "Không phù hợp với trạng thái của hồ sơ"


async def test_a_malformed_body_is_a_422_naming_the_field_in_both_languages(
    plain: httpx.AsyncClient,
) -> None:
    pid = await submitted(plain)
    path = f"/api/proposals/{pid}/cluster-votes"
    member = token("thanh-hoa.member")
    ballot = {"choice": "maybe"}
    vi = _problem(await plain.post(path, json=ballot, headers=member), 422, "vi")
    en = _problem(await plain.post(path, json=ballot, headers={**member, **ENGLISH}), 422, "en")
    assert vi["type"] == en["type"] == "urn:awards:problem:invalid-input"
    assert "body.choice: phải là một trong các giá trị 'yes', 'no' hoặc 'abstain'" in vi["detail"]
    assert "body.choice: must be one of 'yes', 'no' or 'abstain'" in en["detail"]
    assert vi["errors"][0]["loc"] == en["errors"][0]["loc"] == ["body", "choice"]
    assert vi["errors"][0]["type"] == en["errors"][0]["type"] == "literal_error"


async def test_an_unspoken_language_gets_vietnamese(plain: httpx.AsyncClient) -> None:
    path = f"/api/proposals/{uuid.uuid4()}"
    headers = {**token("auditor"), "Accept-Language": "fr-FR, de;q=0.5"}
    body = _problem(await plain.get(path, headers=headers), 404, "vi")
    assert body["detail"].startswith("không tìm thấy hồ sơ đề nghị")


async def test_a_vote_with_both_a_choice_and_a_ballot_is_refused_in_both_languages(
    plain: httpx.AsyncClient,
) -> None:
    pid = await submitted(plain)
    response = await plain.post(
        f"/api/proposals/{pid}/cluster-votes",
        headers=token("thanh-hoa.member"),
        json={"choice": "yes", "ballot": {"x": 1}},
    )
    body = _problem(response, 422, "vi")
    assert "give either a choice or a sealed ballot" in body["i18n"]["en"]
    assert body["errors"][0]["i18n"]["vi"] != body["errors"][0]["i18n"]["en"]


async def test_the_count_of_a_vote_never_held_is_a_404_in_vietnamese(
    plain: httpx.AsyncClient,
) -> None:
    pid = await submitted(plain)
    response = await plain.get(
        f"/api/proposals/{pid}/votes/council/count", headers=token("auditor")
    )
    body = _problem(response, 404, "vi")
    assert body["detail"] == "hồ sơ đề nghị này chưa qua bỏ phiếu tại Hội đồng"
    assert body["i18n"]["en"] == "this proposal has had no council vote"
