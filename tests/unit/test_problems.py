"""Problem bodies: detail in the negotiated language, both texts, the same type, never a 500."""

from __future__ import annotations

from typing import Literal

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from domain.kernel.errors import IllegalTransition
from domain.kernel.message import Message
from domain.proposal.states import State
from services.api import problems
from services.api.problems import Problem, validation_message


class _Vote(BaseModel):
    choice: Literal["yes", "no", "abstain"]
    title: str = Field(max_length=3)
    page: int = 1


def _app() -> FastAPI:
    app = FastAPI()
    problems.install(app)

    @app.get("/missing/{pid}")
    async def missing(pid: str) -> None:
        raise Problem(404, "not-found", Message("no proposal {id}", id=pid), id=pid)

    @app.get("/forgotten")
    async def forgotten() -> None:
        raise Problem(404, "not-found", Message("no proposal {id}"))  # its parameter forgotten

    @app.get("/illegal")
    async def illegal() -> None:
        raise IllegalTransition(State.SUBMITTED, "submit")

    @app.post("/votes")
    async def vote(body: _Vote) -> None:
        return None

    return app


@pytest.fixture
async def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=_app())
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_a_problem_is_vietnamese_by_default_and_english_on_request(
    client: httpx.AsyncClient,
) -> None:
    vi = await client.get("/missing/p-1")
    en = await client.get("/missing/p-1", headers={"Accept-Language": "en-US;q=0.8"})
    assert vi.status_code == en.status_code == 404
    assert vi.headers["content-language"] == "vi" and en.headers["content-language"] == "en"
    assert "Accept-Language" in vi.headers["vary"]
    assert vi.json()["type"] == en.json()["type"] == "urn:awards:problem:not-found"
    assert vi.json()["detail"] == "không tìm thấy hồ sơ đề nghị p-1"
    assert vi.json()["title"] == "Không tìm thấy"
    assert en.json()["detail"] == "no proposal p-1"
    assert en.json()["title"] == "Not found"
    assert (
        vi.json()["i18n"]
        == en.json()["i18n"]
        == {
            "vi": "không tìm thấy hồ sơ đề nghị p-1",
            "en": "no proposal p-1",
        }
    )
    assert vi.json()["id"] == "p-1"  # an extra body field, apart from the message's parameters


async def test_a_message_missing_its_parameter_is_still_answered(client: httpx.AsyncClient) -> None:
    response = await client.get("/forgotten")
    assert response.status_code == 404
    assert response.json()["detail"] == "không tìm thấy hồ sơ đề nghị {id}"


async def test_a_refused_transition_carries_its_state(client: httpx.AsyncClient) -> None:
    body = (await client.get("/illegal")).json()
    assert body["state"] == "submitted"
    assert body["detail"] == "không thể gửi hồ sơ đề nghị đang ở trạng thái “Đã gửi”"
    assert body["i18n"]["en"] == "cannot submit a proposal in state submitted"


async def test_validation_errors_are_translated_with_their_field(client: httpx.AsyncClient) -> None:
    body = {"choice": "maybe", "title": "long", "page": "two"}
    vi = await client.post("/votes", json=body)
    en = await client.post("/votes", json=body, headers={"Accept-Language": "en"})
    assert vi.status_code == en.status_code == 422
    assert vi.json()["type"] == en.json()["type"] == "urn:awards:problem:invalid-input"
    assert vi.json()["detail"] == (
        "yêu cầu không hợp lệ: body.choice: phải là một trong các giá trị 'yes', 'no' hoặc"
        " 'abstain'; body.title: chỉ được tối đa 3 ký tự; body.page: phải là một số nguyên"
    )
    assert en.json()["detail"] == (
        "invalid request: body.choice: must be one of 'yes', 'no' or 'abstain';"
        " body.title: at most 3 characters allowed; body.page: a whole number is required"
    )
    first = vi.json()["errors"][0]
    assert first["loc"] == ["body", "choice"] and first["type"] == "literal_error"
    assert first["msg"] == "phải là một trong các giá trị 'yes', 'no' hoặc 'abstain'"
    missing = await client.post("/votes", json={})
    assert "body.choice: bắt buộc phải có" in missing.json()["detail"]
    broken = await client.post(
        "/votes", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert "nội dung gửi lên không phải JSON hợp lệ" in broken.json()["detail"]


async def test_an_unknown_route_is_a_translated_404(client: httpx.AsyncClient) -> None:
    body = (await client.get("/nowhere")).json()
    assert (body["detail"], body["i18n"]["en"]) == ("Không tìm thấy", "Not Found")


def test_a_pydantic_error_type_without_translation_keeps_pydantic_english() -> None:
    message = validation_message({"type": "url_parsing", "msg": "Input should be a valid URL"})
    assert str(message) == "Input should be a valid URL"
    carried = validation_message(
        {
            "type": "value_error",
            "ctx": {"error": ValueError("give either a choice or a sealed ballot, not both")},
        }
    )
    assert str(carried) == "give either a choice or a sealed ballot, not both"
