"""Bad requests get a problem body with the right status, and write nothing."""

from __future__ import annotations

import uuid

import httpx
import pytest
from journey import call, create, event_count, submitted, token

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert str(body["type"]).startswith("urn:awards:problem:")
    assert body["detail"]
    return body


async def test_unknown_proposal_is_404(api: httpx.AsyncClient) -> None:
    for path in (
        f"/api/proposals/{uuid.uuid4()}",
        "/api/proposals/not-a-uuid",
        f"/api/proposals/{uuid.uuid4()}/history",
    ):
        assert_problem(await api.get(path, headers=token("auditor")), 404)
    response = await api.post(
        f"/api/proposals/{uuid.uuid4()}/submit", headers=token("ninh-binh.proposer")
    )
    assert_problem(response, 404)


async def test_missing_or_bad_token_is_401(api: httpx.AsyncClient) -> None:
    assert_problem(await api.get("/api/inbox"), 401)
    assert_problem(await api.get("/api/inbox", headers={"Authorization": "Bearer x.y"}), 401)
    forged = token("admin")["Authorization"][:-2] + "AA"
    assert_problem(await api.get("/api/inbox", headers={"Authorization": forged}), 401)
    response = await api.post("/api/proposals", json={})
    assert_problem(response, 401)


async def test_wrong_role_is_403_and_writes_nothing(api: httpx.AsyncClient) -> None:
    pid = await submitted(api)
    before = await event_count(api, pid)
    attempts = [
        ("president", "cluster-votes", {"choice": "yes"}),
        ("ben-tre.member", "cluster-votes", {"choice": "yes"}),  # another cluster
        ("thanh-hoa.member", "appraisal", {"action": "approve"}),
        ("auditor", "decision", {"outcome": "awarded", "number": "01/QĐ-LHHVN"}),
        ("thanh-hoa.proposer", "withdraw", {}),  # a proposer of another unit
    ]
    for user, step, body in attempts:
        response = await api.post(f"/api/proposals/{pid}/{step}", json=body, headers=token(user))
        if response.status_code == 404:  # not even visible to that user
            assert_problem(response, 404)
        else:
            assert_problem(response, 403)
    assert await event_count(api, pid) == before


async def test_illegal_step_is_409_naming_the_state(api: httpx.AsyncClient) -> None:
    pid = await create(api)
    before = await event_count(api, pid)
    response = await api.post(
        f"/api/proposals/{pid}/appraisal",
        json={"action": "approve"},
        headers=token("vusta.secretary"),
    )
    body = assert_problem(response, 409)
    assert body["state"] == "draft"
    assert "draft" in str(body["detail"])
    response = await api.post(f"/api/proposals/{pid}/submit", headers=token("ninh-binh.proposer"))
    body = assert_problem(response, 409)
    assert "incomplete" in str(body["detail"])
    assert await event_count(api, pid) == before


async def test_malformed_body_is_422_naming_the_field(api: httpx.AsyncClient) -> None:
    proposer = token("ninh-binh.proposer")
    cases = [
        {
            "form": "vusta_flag",
            "year": "soon",
            "nominee": {"kind": "collective", "name": "X"},
            "title": "t",
        },
        {
            "form": "vusta_flag",
            "year": 2026,
            "nominee": {"kind": "robot", "name": "X"},
            "title": "t",
        },
        {
            "form": "no_such_form",
            "year": 2026,
            "nominee": {"kind": "collective", "name": "X"},
            "title": "t",
        },
        {
            "form": "vusta_medal",  # a medal goes to individuals only
            "year": 2026,
            "nominee": {"kind": "collective", "name": "X"},
            "title": "t",
        },
        {"form": "vusta_flag", "year": 2026, "title": "t", "unexpected": 1},
    ]
    for case in cases:
        assert_problem(await api.post("/api/proposals", json=case, headers=proposer), 422)
    response = await api.post(
        "/api/proposals",
        content=b"{not json",
        headers={**proposer, "content-type": "application/json"},
    )
    assert_problem(response, 422)
    pid = await submitted(api)
    before = await event_count(api, pid)
    response = await api.post(
        f"/api/proposals/{pid}/cluster-votes",
        json={"choice": "maybe"},
        headers=token("thanh-hoa.member"),
    )
    assert_problem(response, 422)
    response = await api.get(
        f"/api/proposals/{pid}", params={"as_of": "yesterday"}, headers=token("auditor")
    )
    assert_problem(response, 422)
    assert await event_count(api, pid) == before


async def test_bad_decision_number_is_422(api: httpx.AsyncClient) -> None:
    from journey import council_approved

    pid = await council_approved(api)
    before = await event_count(api, pid)
    for number in ("5/QĐ-LHHVN", "17/TTr-LHHVN", "seventeen"):
        response = await api.post(
            f"/api/proposals/{pid}/decision",
            headers=token("president"),
            json={"outcome": "awarded", "number": number},
        )
        assert_problem(response, 422)
    response = await api.post(
        f"/api/proposals/{pid}/decision",
        headers=token("president"),
        json={"outcome": "awarded", "number": "88/QĐ-LHHVN", "decided_on": "2020-01-01"},
    )
    assert_problem(response, 422)
    assert await event_count(api, pid) == before


async def test_document_upload_refuses_bad_files(api: httpx.AsyncClient) -> None:
    pid = await create(api)
    proposer = token("ninh-binh.proposer")
    url = f"/api/proposals/{pid}/documents"
    empty = await api.post(
        url,
        headers=proposer,
        data={"kind": "request_letter"},
        files={"file": ("a.pdf", b"", "application/pdf")},
    )
    assert_problem(empty, 422)
    exe = await api.post(
        url,
        headers=proposer,
        data={"kind": "request_letter"},
        files={"file": ("a.exe", b"MZ", "application/x-msdownload")},
    )
    assert_problem(exe, 415)
    kind = await api.post(
        url,
        headers=proposer,
        data={"kind": "selfie"},
        files={"file": ("a.pdf", b"%PDF", "application/pdf")},
    )
    assert_problem(kind, 422)
    missing = await api.post(url, headers=proposer, data={"kind": "request_letter"})
    assert_problem(missing, 422)
    assert await event_count(api, pid) == 1


async def test_health_needs_no_token(api: httpx.AsyncClient) -> None:
    response = await api.get("/health")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "temporal": "ok"}
    await call(api, "GET", "/api/me", "auditor")


async def test_an_idempotency_key_returns_the_same_draft_and_refuses_another(
    api: httpx.AsyncClient,
) -> None:
    proposer = {**token("ninh-binh.proposer"), "Idempotency-Key": "draft-once"}
    body = {
        "form": "vusta_certificate",
        "year": 2026,
        "title": "Bằng khen",
        # A collective: an individual's Certificate needs titles in the award register first.
        "nominee": {"kind": "collective", "name": "Ban Tuyên giáo"},
    }
    first = await api.post("/api/proposals", json=body, headers=proposer)
    again = await api.post("/api/proposals", json=body, headers=proposer)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = await api.post("/api/proposals", json={**body, "title": "Khác"}, headers=proposer)
    assert_problem(other, 409)


async def test_a_member_cannot_vote_on_its_own_nomination(api: httpx.AsyncClient) -> None:
    pid = await submitted(api)
    before = await event_count(api, pid)
    response = await api.post(
        f"/api/proposals/{pid}/cluster-votes",
        json={"choice": "yes"},
        headers=token("ninh-binh.member"),
    )
    body = assert_problem(response, 409)
    assert "electorate" in str(body["detail"])
    assert await event_count(api, pid) == before


async def test_a_bad_sealed_ballot_or_share_is_422_and_writes_nothing(
    api: httpx.AsyncClient,
) -> None:
    pid = await submitted(api)
    before = await event_count(api, pid)
    count = await call(api, "GET", f"/api/proposals/{pid}/votes/cluster/count", "auditor")
    assert count["sealed"] is False and count["totals"] is None
    voter = "thanh-hoa.member"
    cast = await api.post(
        f"/api/proposals/{pid}/cluster-votes",
        json={"choice": "yes"},
        headers=token("nghe-an.member"),
    )
    sealed = await call(api, "GET", f"/api/proposals/{pid}/votes/cluster/count", "auditor")
    assert cast.status_code == 200 and sealed["ballots"] == 0  # the box is sealed at close
    bodies = [
        {},  # neither a choice nor a ballot
        {"choice": "yes", "ballot": {}},  # both
        {"ballot": {}},
        {"ballot": {"selections": [], "one": {"c": "1", "v": "1"}}},
        {"ballot": {"selections": "x" * 10_000, "one": None}},
        {"ballot": [1, 2, 3]},
        {"choice": "maybe"},
    ]
    for body in bodies:
        response = await api.post(
            f"/api/proposals/{pid}/cluster-votes", json=body, headers=token(voter)
        )
        assert_problem(response, 422)
    for share in ({}, {"trustee": 1}, {"trustee": "x", "factors": [], "proofs": []}):
        response = await api.post(
            f"/api/proposals/{pid}/votes/cluster/shares",
            json={"share": share},
            headers=token("council.1"),
        )
        assert response.status_code in (409, 422), response.text  # 409: the box is not sealed
        assert_problem(response, response.status_code)
    unknown = await api.get(f"/api/proposals/{pid}/votes/plenary/count", headers=token("auditor"))
    assert_problem(unknown, 404)
    assert await event_count(api, pid) == before + 1  # only the one good ballot
