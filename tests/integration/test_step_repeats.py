"""A step repeated with its Idempotency-Key answers what it answered the first time, however
the proposal moved on since, and is applied once; a step never turns into a failure after it
was applied."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
from journey import (
    attach,
    call,
    create,
    event_count,
    member_of,
    next_decision_number,
    submitted,
    token,
)

from services.api.app import create_app
from services.application.proposals import AwardsApplication
from services.runtime import Runtime

pytestmark = pytest.mark.integration


async def dossier(api: httpx.AsyncClient) -> str:
    """A draft with its dossier complete, not submitted yet."""
    pid = await create(api)
    await attach(api, pid, "request_letter")
    await attach(api, pid, "achievement_report")
    return pid


class Step:
    """One step sent with a key, kept so that it can be sent again later."""

    def __init__(self, path: str, user: str, body: dict[str, Any], key: str) -> None:
        self.path, self.user, self.body, self.key = path, user, body, key
        self.first: httpx.Response | None = None

    async def send(self, api: httpx.AsyncClient) -> httpx.Response:
        headers = {**token(self.user), "Idempotency-Key": self.key}
        response = await api.post(self.path, json=self.body, headers=headers)
        if self.first is None:
            assert response.status_code == 200, response.text
            self.first = response
        return response

    async def repeat_answers_the_same(self, api: httpx.AsyncClient) -> None:
        assert self.first is not None
        again = await self.send(api)
        assert (again.status_code, again.json()) == (self.first.status_code, self.first.json())
        assert again.headers["Idempotency-Replayed"] == "true"


async def test_every_step_repeated_with_its_key_answers_as_the_first_time(
    api: httpx.AsyncClient,
) -> None:
    pid = await dossier(api)
    base = f"/api/proposals/{pid}"
    taken: list[Step] = []

    async def step(path: str, user: str, body: dict[str, Any]) -> dict[str, Any]:
        sent = Step(f"{base}/{path}", user, body, f"key-{len(taken)}")
        taken.append(sent)
        return dict((await sent.send(api)).json())

    await step("submit", "ninh-binh.proposer", {"comment": "gửi"})
    await step("hold", "vusta.secretary", {"reason": "đang kiểm tra"})
    await step("release", "admin", {"reason": "đã kiểm tra xong"})
    proposal = await call(api, "GET", base, "auditor")
    ballots = []
    for unit in proposal["votes"]["cluster"]["electorate"]:
        ballots.append(await step("cluster-votes", member_of(unit), {"choice": "yes"}))
    assert ballots[-1]["state"] == "appraisal"
    assert len({answer["receipt"] for answer in ballots}) == len(ballots)
    await step("appraisal", "vusta.secretary", {"action": "approve", "reason": "đủ"})
    for index in range(1, 6):
        last = await step("council-votes", f"council.{index}", {"choice": "yes"})
    assert last["state"] == "council_approved" and last["tracker"]
    number = next_decision_number()
    decided = await step("decision", "president", {"outcome": "awarded", "number": number})
    assert decided == {
        "id": pid,
        "state": "decided",
        "state_label": {"vi": "Đã có quyết định", "en": "Decided"},
        "message": f"decision {number} recorded",
    }
    events = await event_count(api, pid)

    # The workflow has completed: every step, the last ballots included, answers as before.
    for sent in reversed(taken):
        await sent.repeat_answers_the_same(api)
    assert await event_count(api, pid) == events


async def test_the_last_ballot_repeated_with_its_key_gets_its_receipt_and_tracker(
    api: httpx.AsyncClient,
) -> None:
    pid = await submitted(api)
    proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    ballots = [
        Step(f"/api/proposals/{pid}/cluster-votes", member_of(unit), {"choice": "yes"}, unit)
        for unit in proposal["votes"]["cluster"]["electorate"]
    ]
    for ballot in ballots:
        await ballot.send(api)
    assert ballots[-1].first is not None
    first = ballots[-1].first.json()
    again = await ballots[-1].send(api)
    assert again.status_code == 200, again.text  # was 409 "the cluster vote is not open"
    assert (again.json()["receipt"], again.json()["tracker"]) == (
        first["receipt"],
        first["tracker"],
    )


async def test_a_withdrawal_repeated_after_the_process_ended_answers_as_before(
    api: httpx.AsyncClient,
) -> None:
    pid = await create(api)
    withdrawal = Step(f"/api/proposals/{pid}/withdraw", "ninh-binh.proposer", {}, "withdraw-1")
    first = await withdrawal.send(api)
    assert first.json()["state"] == "withdrawn"
    events = await event_count(api, pid)
    await withdrawal.repeat_answers_the_same(api)
    assert await event_count(api, pid) == events


async def test_a_refused_step_leaves_its_key_free_for_a_later_attempt(
    api: httpx.AsyncClient,
) -> None:
    pid = await dossier(api)
    hold = Step(f"/api/proposals/{pid}/hold", "vusta.secretary", {"reason": "x"}, "hold-1")
    headers = {**token("vusta.secretary"), "Idempotency-Key": hold.key}
    refused = await api.post(hold.path, json=hold.body, headers=headers)
    assert refused.status_code == 409, refused.text  # a draft is not put on hold
    await call(api, "POST", f"/api/proposals/{pid}/submit", "ninh-binh.proposer")
    held = await hold.send(api)
    assert held.json()["state"] == "on_hold" and "Idempotency-Replayed" not in held.headers


async def test_two_voters_sending_the_same_key_each_cast_their_own_ballot(
    api: httpx.AsyncClient,
) -> None:
    pid = await submitted(api)
    proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    first, second = proposal["votes"]["cluster"]["electorate"][:2]
    answers = [
        await call(
            api,
            "POST",
            f"/api/proposals/{pid}/cluster-votes",
            member_of(unit),
            json={"choice": "yes"},
            headers={"Idempotency-Key": "ballot"},
        )
        for unit in (first, second)
    ]
    assert answers[0]["tracker"] != answers[1]["tracker"]
    proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    assert proposal["votes"]["cluster"]["voted"] == [first, second]


class StoreFailsAfterFirstRead:
    """The API's application, whose store stops answering after the first proposal read."""

    def __init__(self, app: AwardsApplication) -> None:
        self._app = app
        self.reads = 0

    def proposal(self, proposal_id: UUID) -> Any:
        self.reads += 1
        if self.reads > 1:
            raise psycopg.OperationalError("the database went away")
        return self._app.proposal(proposal_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)


async def test_a_step_applied_before_the_store_fails_still_answers_success(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await submitted(api)
    proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    voter = member_of(proposal["votes"]["cluster"]["electorate"][0])
    failing = StoreFailsAfterFirstRead(runtime.app)
    # Only the API's reads fail: the worker writes the ballot with the real application.
    faulty = create_app(dataclasses.replace(runtime, app=failing))  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=faulty)
    async with httpx.AsyncClient(transport=transport, base_url="http://awards.test") as flaky:
        answer = await call(
            flaky, "POST", f"/api/proposals/{pid}/cluster-votes", voter, json={"choice": "no"}
        )
    assert answer["message"] == "ballot recorded" and answer["receipt"]
    proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    assert proposal["votes"]["cluster"]["ballots_cast"] == 1


async def test_a_refusal_found_while_applying_a_step_is_its_keys_answer(
    api: httpx.AsyncClient,
) -> None:
    pid = await create(api)
    submit = Step(f"/api/proposals/{pid}/submit", "ninh-binh.proposer", {}, "submit-1")
    headers = {**token(submit.user), "Idempotency-Key": submit.key}
    refused = await api.post(submit.path, json={}, headers=headers)
    assert refused.status_code == 409 and "incomplete" in refused.json()["detail"]
    await attach(api, pid, "request_letter")
    await attach(api, pid, "achievement_report")
    again = await api.post(submit.path, json={}, headers=headers)
    assert (again.status_code, again.json()) == (409, refused.json())
    fresh = await api.post(submit.path, json={}, headers={**headers, "Idempotency-Key": "2"})
    assert fresh.status_code == 200 and fresh.json()["state"] == "cluster_voting"
