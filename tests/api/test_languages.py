"""Errors through the whole service answer in Vietnamese by default and in English on request."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio
from conftest import side_service
from eventsourcing.persistence import StoredEvent
from journey import SECRET, attach, call, create, eventually, submitted, token
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.proposal.states import State
from services.api.app import create_app
from services.application.tokens import issue_token, read_token
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


def _both(vi: httpx.Response, en: httpx.Response, status: int) -> tuple[str, str, str]:
    """(type, Vietnamese detail, English detail) of the same problem asked in each language."""
    vi_body, en_body = _problem(vi, status, "vi"), _problem(en, status, "en")
    assert vi_body["type"] == en_body["type"]
    assert vi_body["i18n"] == en_body["i18n"]
    return vi_body["type"], vi_body["detail"], en_body["detail"]


async def _asked_twice(
    plain: httpx.AsyncClient, method: str, path: str, headers: dict[str, str], **kwargs: Any
) -> tuple[httpx.Response, httpx.Response]:
    vi = await plain.request(method, path, headers=headers, **kwargs)
    en = await plain.request(method, path, headers={**headers, **ENGLISH}, **kwargs)
    return vi, en


async def test_a_revoked_token_is_a_401_in_both_languages(
    plain: httpx.AsyncClient, runtime: Runtime
) -> None:
    bearer = issue_token("auditor", SECRET.encode(), 1)
    runtime.revocations.revoke_token(read_token(bearer, SECRET.encode()), "admin", "mất máy")
    headers = {"Authorization": f"Bearer {bearer}"}
    kind, vi, en = _both(*await _asked_twice(plain, "GET", "/api/me", headers), 401)
    assert kind == "urn:awards:problem:token-revoked"
    assert vi == "mã truy cập này đã bị thu hồi (mất máy); hãy xin mã mới"
    assert en == "this bearer token was revoked (mất máy); ask for a new one"


async def test_an_expired_token_is_a_401_in_both_languages(plain: httpx.AsyncClient) -> None:
    bearer = issue_token("auditor", SECRET.encode(), 1, now=time.time() - 7200)
    headers = {"Authorization": f"Bearer {bearer}"}
    kind, vi, en = _both(*await _asked_twice(plain, "GET", "/api/me", headers), 401)
    assert kind == "urn:awards:problem:unauthenticated"
    assert vi == "mã truy cập đã hết hạn; hãy xin mã mới"
    assert en == "the bearer token has expired; ask for a new one"


async def test_a_step_refused_by_the_workflows_validator_gives_its_hint_in_both_languages(
    plain: httpx.AsyncClient,
) -> None:
    pid = await submitted(plain)
    held = {"reason": "có khiếu nại đang được xác minh"}
    await call(plain, "POST", f"/api/proposals/{pid}/hold", "vusta.secretary", json=held)
    path = f"/api/proposals/{pid}/cluster-votes"
    answers = await _asked_twice(
        plain, "POST", path, token("thanh-hoa.member"), json={"choice": "yes"}
    )
    kind, vi, en = _both(*answers, 409)
    assert kind == "urn:awards:problem:illegal-transition"
    assert answers[0].json()["state"] == "on_hold"
    assert vi == (
        "không thể bỏ phiếu bình xét tại Cụm cho hồ sơ đề nghị đang ở trạng thái “Tạm dừng”:"
        " hồ sơ đang tạm dừng cho đến khi được tiếp tục xử lý"
    )
    assert en == (
        "cannot vote in the cluster vote on a proposal in state on_hold:"
        " the proposal is on hold until released"
    )


async def test_a_refusal_from_inside_the_steps_activity_reads_in_both_languages(
    plain: httpx.AsyncClient,
) -> None:
    pid = await create(plain)
    await attach(plain, pid, "request_letter")
    path = f"/api/proposals/{pid}/submit"
    answers = await _asked_twice(plain, "POST", path, token("ninh-binh.proposer"), json={})
    # The workflow's validator lets a draft be submitted; the store's own check refuses it.
    kind, vi, en = _both(*answers, 409)
    assert kind == "urn:awards:problem:domain-rule"
    assert answers[0].json()["state"] == "draft", answers[0].json()
    assert vi == "hồ sơ chưa đầy đủ: còn thiếu achievement_report"
    assert en == "the dossier is incomplete: missing achievement_report"


async def test_a_control_character_is_a_422_naming_the_field_in_both_languages(
    plain: httpx.AsyncClient,
) -> None:
    draft = {
        "form": "vusta_flag",
        "year": 2026,
        "nominee": {"kind": "collective", "name": "Liên hiệp Hội tỉnh Ninh Bình"},
        "title": "Đề nghị\u0007",
    }
    answers = await _asked_twice(
        plain, "POST", "/api/proposals", token("ninh-binh.proposer"), json=draft
    )
    kind, vi, en = _both(*answers, 422)
    assert kind == "urn:awards:problem:invalid-input"
    assert vi == "yêu cầu không hợp lệ: body.title: không được chứa ký tự điều khiển U+0007"
    assert en == "invalid request: body.title: must not contain the control character U+0007"
    assert answers[0].json()["errors"][0]["msg"] == ("không được chứa ký tự điều khiển U+0007")


async def test_a_control_character_in_a_query_is_a_422_in_both_languages(
    plain: httpx.AsyncClient,
) -> None:
    path = "/api/proposals?cluster=c%01"
    kind, vi, en = _both(*await _asked_twice(plain, "GET", path, token("auditor")), 422)
    assert kind == "urn:awards:problem:invalid-input"
    assert vi.endswith("query.cluster: không được chứa ký tự điều khiển U+0001")
    assert en.endswith("query.cluster: must not contain the control character U+0001")


async def test_an_unknown_state_in_the_query_is_a_422_in_both_languages(
    plain: httpx.AsyncClient,
) -> None:
    path = "/api/proposals?state=approved"
    kind, vi, en = _both(*await _asked_twice(plain, "GET", path, token("auditor")), 422)
    assert kind == "urn:awards:problem:invalid-input"
    known = ", ".join(state.value for state in State)
    assert vi == (
        "yêu cầu không hợp lệ: query.state: không có trạng thái 'approved';"
        f" các trạng thái hiện có: {known}"
    )
    assert en == f"invalid request: query.state: unknown state 'approved'; known states: {known}"


async def test_health_tells_of_an_event_the_list_could_not_apply_in_both_languages(
    fresh_database: str,
    tmp_path: Path,
    temporal_env: WorkflowEnvironment,
    executor: ThreadPoolExecutor,
) -> None:
    async with side_service(
        tmp_path, fresh_database, temporal_env.client, "awards-health-words", executor
    ) as (runtime, api):
        # An event of a kind no code can read any more: the follower records it and goes on.
        [broken] = runtime.app.recorder.insert_events(
            [StoredEvent(uuid.uuid4(), 2, "domain.proposal:Proposal.Vanished", b"{}")]
        ) or [0]

        async def health(headers: dict[str, str]) -> dict[str, Any]:
            answer: dict[str, Any] = (await api.get("/health", headers=headers)).json()
            return answer

        def degraded(answer: dict[str, Any]) -> bool:
            return bool(answer["projections"].get("proposal_list", {}).get("failures"))

        vi = await eventually(lambda: health({"Accept-Language": "vi"}), degraded)
        en = await health(ENGLISH)
    vi_report, en_report = vi["projections"]["proposal_list"], en["projections"]["proposal_list"]
    assert vi_report["status"] == en_report["status"] == "degraded"
    assert vi_report["detail"] == (
        f"1 sự kiện không đưa được vào proposal_list, sự kiện đầu tiên tại thông báo số {broken};"
        " xem lệnh `awards projections status`"
    )
    assert en_report["detail"] == (
        f"1 event(s) could not be applied to proposal_list, the first at notification {broken};"
        " see `awards projections status`"
    )


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
    assert (
        body["detail"] == "hồ sơ đề nghị này chưa qua bỏ phiếu của Hội đồng Thi đua – Khen thưởng"
    )
    assert body["i18n"]["en"] == "this proposal has had no council vote"
