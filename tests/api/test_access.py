"""Who may reach a proposal and a receipt: a proposal outside the caller's reach answers like
an unknown one on every route (404), and only its voter may check a receipt (403 otherwise)."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import httpx
import pytest
from journey import call, member_of, submitted, token

from domain.proposal.states import VoteStage
from domain.voting.sealed_ballot import seal
from infra.trustee_keys import secret_exponent
from services.application.process import CLUSTER_VOTE
from services.application.receipts import receipt_hash
from services.runtime import Runtime
from workflows.messages import BallotRequest

pytestmark = pytest.mark.integration
OUTSIDER = "ben-tre.member"  # a member of another cluster than the proposals of ninh-binh
PDF = ("x.pdf", b"%PDF-1.4\n", "application/pdf")
ROUTES: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "", {}),
    ("GET", "?as_of=2026-11-20T09:00:00%2B07:00", {}),
    ("GET", "/history", {}),
    ("GET", f"/documents/{'0' * 64}", {}),
    ("POST", "/documents", {"files": {"file": PDF}, "data": {"kind": "request_letter"}}),
    ("POST", "/submit", {"json": {}}),
    ("POST", "/withdraw", {"json": {}}),
    ("POST", "/cluster-votes", {"json": {"choice": "yes"}}),
    ("POST", "/council-votes", {"json": {"choice": "yes"}}),
    ("POST", "/appraisal", {"json": {"action": "approve"}}),
    ("POST", "/decision", {"json": {"outcome": "awarded", "number": "01/QĐ-LHHVN"}}),
    ("POST", "/hold", {"json": {"reason": "x"}}),
    ("POST", "/release", {"json": {"reason": "x"}}),
    ("POST", "/receipts", {"json": {"receipt": "abc.def"}}),
    ("GET", "/votes/cluster/count", {}),
    ("POST", "/votes/cluster/shares", {"json": {"share": {}}}),
]


async def test_a_proposal_outside_the_callers_reach_answers_like_an_unknown_one(
    api: httpx.AsyncClient,
) -> None:
    hidden = await submitted(api)
    unknown = str(uuid.uuid4())
    for method, route, kwargs in ROUTES:
        answers = []
        for pid in (hidden, unknown):
            response = await api.request(
                method, f"/api/proposals/{pid}{route}", headers=token(OUTSIDER), **kwargs
            )
            body = response.json()
            answers.append((response.status_code, body["type"], body["detail"].replace(pid, "ID")))
        assert answers[0] == answers[1], (method, route, answers)
        assert answers[0][0] in (403, 404), (method, route, answers)
        if answers[0][0] == 403:  # refused by role before the proposal is looked up
            assert "needs the role" in answers[0][2]


async def test_a_member_of_another_cluster_voting_gets_404(api: httpx.AsyncClient) -> None:
    pid = await submitted(api)
    answer = await call(
        api, "POST", f"/api/proposals/{pid}/cluster-votes", OUTSIDER, 404, json={"choice": "yes"}
    )
    assert answer["type"] == "urn:awards:problem:not-found"


async def _cast(api: httpx.AsyncClient, pid: str, voter: str) -> dict[str, Any]:
    return await call(
        api, "POST", f"/api/proposals/{pid}/cluster-votes", voter, json={"choice": "no"}
    )


async def test_only_the_voter_may_check_their_receipt(api: httpx.AsyncClient) -> None:
    pid = await submitted(api)
    proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    voter, neighbour = [member_of(u) for u in proposal["votes"]["cluster"]["electorate"][:2]]
    cast = await _cast(api, pid, voter)
    path = f"/api/proposals/{pid}/receipts"
    for other in (neighbour, "auditor", "admin"):
        refused = await call(api, "POST", path, other, 403, json={"receipt": cast["receipt"]})
        assert refused["type"] == "urn:awards:problem:forbidden"
        assert set(refused) == {"type", "title", "status", "detail", "instance", "i18n"}
        assert cast["tracker"] not in refused["detail"] and "cluster" not in refused["detail"]
    mine = await call(api, "POST", path, voter, json={"receipt": cast["receipt"]})
    assert (mine["in_box"], mine["counted"]) == (False, False)  # the box is sealed at the close


async def test_a_receipt_issued_before_receipts_named_their_voter_is_checked_by_its_holder(
    api: httpx.AsyncClient, runtime: Runtime
) -> None:
    pid = await submitted(api)
    proposal = runtime.app.proposal(UUID(pid))
    electorate = proposal.votes["cluster"].electorate
    older = "Zm9yLWJlZm9yZS10aGUtY2hhbmdlLTEyMzQ1Njc4"  # no seal: the earlier format
    stage = VoteStage.CLUSTER
    ballot = seal(
        "yes", proposal.vote(stage).key(), proposal.ballot_context(stage), secret_exponent
    )
    voter = member_of(electorate[0])
    request = BallotRequest(
        voter, "cluster_member", electorate[0], ballot.to_json(), receipt_hash(older)
    )
    await runtime.process.step(pid, CLUSTER_VOTE, request, voter)
    for unit in electorate[1:]:
        await _cast(api, pid, member_of(unit))
    path = f"/api/proposals/{pid}/receipts"
    checked = await call(api, "POST", path, "auditor", json={"receipt": older})
    assert checked["in_box"] and checked["counted"] and checked["tracker"] == ballot.tracker
