"""Every answer goes through its documented model and keeps the content the use case gives:
no field dropped, none added, times written as before."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi.encoders import jsonable_encoder
from journey import call, council_approved, eventually, ids, next_decision_number, token

from domain.proposal.states import VoteStage
from services.application import voting
from services.application.views import proposal_view
from services.audit.trail import AuditTrail
from services.runtime import Runtime

pytestmark = pytest.mark.integration

# The record says when it was exported: the only fields that differ between two reads.
_EXPORT_TIMES = ("exported_at", "exported_at_vietnam")


async def _decided(api: httpx.AsyncClient) -> str:
    pid = await council_approved(api)
    await call(
        api,
        "POST",
        f"/api/proposals/{pid}/decision",
        "president",
        json={"outcome": "awarded", "number": next_decision_number()},
    )
    return pid


def _as_json(value: Any) -> Any:
    return jsonable_encoder(value)


async def test_a_decided_proposal_reads_exactly_as_its_view(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await _decided(api)
    proposal = runtime.app.proposal(UUID(pid))
    answer = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    org_year = runtime.organisation.year_in_force(proposal.year)
    assert answer == _as_json({**proposal_view(proposal), "organisation_year": org_year})
    assert answer["votes"]["council"]["result"]["tally"] == {"yes": 5, "no": 0, "abstain": 0}
    assert answer["decision"]["outcome"] == "awarded"
    assert "+00:00" in answer["created_on"]  # written as isoformat(), never "Z"


async def test_history_and_as_of_read_exactly_as_the_application_gives_them(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await _decided(api)
    uid = UUID(pid)
    history = await call(api, "GET", f"/api/proposals/{pid}/history", "auditor")
    assert history == _as_json({"id": pid, "events": runtime.app.history(uid)})
    moment = history["events"][4]["time"]
    past = await call(api, "GET", f"/api/proposals/{pid}", "auditor", params={"as_of": moment})
    earlier = runtime.app.proposal(uid, as_of=datetime.fromisoformat(moment))
    org_year = runtime.organisation.year_in_force(earlier.year)
    view = {**proposal_view(earlier), "organisation_year": org_year, "as_of": moment}
    assert past == _as_json(view)
    audited = await call(
        api, "GET", f"/api/audit/proposals/{pid}/as-of", "auditor", params={"time": moment}
    )
    # The auditor's as-of reads the proposal alone (its organisation year is the API view's).
    assert audited == {key: value for key, value in past.items() if key != "organisation_year"}


async def test_the_audit_record_and_verification_read_exactly_as_the_trail_gives_them(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await _decided(api)
    uid = UUID(pid)
    trail = AuditTrail.of(runtime)
    answer = await call(api, "GET", f"/api/audit/proposals/{pid}", "auditor")
    expected = _as_json(trail.record(uid))
    for field in _EXPORT_TIMES:
        answer.pop(field), expected.pop(field)
    assert answer == expected
    assert [check["consistent"] for check in answer["tallies"]] == [True, True]
    verified = await call(api, "GET", "/api/audit/verify", "auditor", params={"proposal": pid})
    assert verified == _as_json(trail.verify(uid).as_json())


async def test_the_count_of_a_closed_vote_reads_exactly_as_its_view(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await _decided(api)
    proposal = runtime.app.proposal(UUID(pid))
    answer = await call(api, "GET", f"/api/proposals/{pid}/votes/council/count", "auditor")
    counted = voting.count_view(proposal, VoteStage.COUNCIL)
    assert answer == _as_json(dataclasses.asdict(counted))
    assert answer["result"]["outcome"] == "approved"


async def test_list_and_inbox_items_keep_every_column(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await council_approved(api)

    async def listed() -> dict[str, Any]:
        return await call(api, "GET", "/api/proposals", "president", params={"page_size": 500})

    page = await eventually(listed, lambda answer: pid in ids(answer))
    user = runtime.directory.user("president")
    assert user is not None
    found = runtime.summaries.search(user, {}, 1, 500)
    expected = _as_json(dataclasses.asdict(found))
    mine = [item for item in expected["items"] if item["id"] == pid]
    assert [item for item in page["items"] if item["id"] == pid] == mine
    inbox = await eventually(
        lambda: call(api, "GET", "/api/inbox", "president"), lambda answer: pid in ids(answer)
    )
    item = next(item for item in inbox["items"] if item["id"] == pid)
    assert set(item) == {*mine[0], "counting", "state_label"}


async def test_creation_repeated_with_its_key_answers_200_with_the_same_draft(
    api: httpx.AsyncClient,
) -> None:
    draft = {
        "form": "vusta_medal",
        "year": 2026,
        "title": "Kỷ niệm chương",
        "nominee": {"kind": "individual", "name": "Lê Minh Châu"},
    }
    headers = {**token("ninh-binh.proposer"), "Idempotency-Key": "answers-repeat-1"}
    first = await api.post("/api/proposals", json=draft, headers=headers)
    again = await api.post("/api/proposals", json=draft, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert "unit_id" not in first.json()["nominee"]  # absent stays absent, never null


async def test_me_and_health_answer_their_documented_fields(api: httpx.AsyncClient) -> None:
    me = await call(api, "GET", "/api/me", "thanh-hoa.member")
    assert me == {
        "username": "thanh-hoa.member",
        "full_name": me["full_name"],
        "roles": ["cluster_member"],
        "unit": "lhh-thanh-hoa",
        "cluster": me["cluster"],
    }
    health = await api.get("/health")
    assert health.status_code == 200
    body = health.json()
    assert body["checks"] == {"database": "ok", "temporal": "ok"}
    assert set(body["projections"]["proposal_list"]) >= {"status", "position", "head"}
