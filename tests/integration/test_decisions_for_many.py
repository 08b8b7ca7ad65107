"""Decisions that award many, on the real stack: five awardees on one decision signed KT. under
a delegation, a proposal left off (rejected with a reason) or left for later, the number series
shared with single decisions, the date rule, and deputies refused outside period and scope."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta
from typing import Any

import httpx
import pytest
from journey import call, council_approved, runtime_of

from domain.kernel.calendar import today

pytestmark = pytest.mark.integration


async def approved(api: httpx.AsyncClient, count: int) -> list[str]:
    return list(await asyncio.gather(*(council_approved(api) for _ in range(count))))


async def delegate(
    api: httpx.AsyncClient, deputy: str, acts: list[str], starts: int = -1, ends: int = 30
) -> dict[str, Any]:
    """The President names ``deputy`` from ``starts`` to ``ends`` days from today."""
    return await call(
        api,
        "POST",
        "/api/delegations",
        "president",
        201,
        json={
            "office": "president" if acts == ["sign_decision"] else "council_chair",
            "deputy": deputy,
            "starts_on": (today() + timedelta(days=starts)).isoformat(),
            "ends_on": (today() + timedelta(days=ends)).isoformat(),
            "acts": acts,
            "signing_form": "KT",
            "reason": "Chủ tịch đi công tác",
        },
    )


def decision(number: str, on: list[str], **more: Any) -> dict[str, Any]:
    return {"number": number, "decided_on": today().isoformat(), "proposal_ids": on, **more}


async def state_of(api: httpx.AsyncClient, pid: str) -> dict[str, Any]:
    return await call(api, "GET", f"/api/proposals/{pid}", "auditor")


async def test_a_decision_for_five_awardees_signed_kt_decides_them_all_with_one_number(
    api: httpx.AsyncClient,
) -> None:
    six = await approved(api, 6)
    five, left_off = six[:5], six[5]
    granted = await delegate(api, "council.1", ["sign_decision"])
    body = decision(
        "401/QĐ-LHHVN",
        five,
        signing_form="KT",
        excluded=[{"proposal_id": left_off, "reason": "chưa đủ thành tích tiêu biểu"}],
    )
    headers = {"Idempotency-Key": "decision-401"}
    issued = await call(api, "POST", "/api/decisions", "council.1", 201, json=body, headers=headers)
    assert issued["number"] == "401/QĐ-LHHVN"
    assert [line["proposal_id"] for line in issued["annex"]] == five
    assert issued["signature"]["block"] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert issued["signature"]["holder"] == "president"
    assert issued["signature"]["signer"] == "council.1"
    assert issued["signature"]["delegation_id"] == granted["id"]
    assert {d["state"] for d in issued["deliveries"]} == {"decided"}
    for pid in five:
        proposal = await state_of(api, pid)
        assert proposal["state"] == "decided"
        assert proposal["decision"]["number"] == "401/QĐ-LHHVN"
        assert proposal["decision"]["outcome"] == "awarded"
    rejected = await state_of(api, left_off)
    assert (rejected["state"], rejected["decision"]["outcome"]) == ("decided", "rejected")
    assert rejected["decision"]["reason"] == "chưa đủ thành tích tiêu biểu"

    pdf = await api.get(f"/api/decisions/{issued['id']}/record", headers=_token("auditor"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    sha256 = hashlib.sha256(pdf.content).hexdigest()
    assert sha256 == issued["record"]["sha256"]
    assert runtime_of(api).documents.get(sha256) == pdf.content

    again = await api.post("/api/decisions", json=body, headers={**_token("council.1"), **headers})
    assert again.status_code == 201 and again.headers["Idempotency-Replayed"] == "true"
    assert again.json()["id"] == issued["id"]
    read = await call(api, "GET", f"/api/decisions/{issued['id']}", "ninh-binh.proposer")
    assert len(read["annex"]) == 5 and read["excluded"][0]["proposal_id"] == left_off
    listed = await call(api, "GET", "/api/decisions?year=" + str(today().year), "auditor")
    assert any(item["id"] == issued["id"] and item["awardees"] == 5 for item in listed["items"])


async def test_the_number_series_the_date_rule_and_a_proposal_left_for_later(
    api: httpx.AsyncClient,
) -> None:
    first, later = await approved(api, 2)
    yesterday = (today() - timedelta(days=1)).isoformat()
    early = decision("402/QĐ-LHHVN", [first], decided_on=yesterday)
    refused = await call(api, "POST", "/api/decisions", "president", 422, json=early)
    assert "before the council vote closed" in refused["detail"]

    await call(
        api, "POST", "/api/decisions", "president", 201, json=decision("402/QĐ-LHHVN", [first])
    )
    assert (await state_of(api, later))["state"] == "council_approved"  # left for a later one

    twice = await call(
        api, "POST", "/api/decisions", "president", 409, json=decision("402/QĐ-LHHVN", [later])
    )
    assert "402/QĐ-LHHVN is already used by decision" in twice["detail"]
    single = {"outcome": "awarded", "number": "402/QĐ-LHHVN", "decided_on": today().isoformat()}
    shared = await call(
        api, "POST", f"/api/proposals/{later}/decision", "president", 409, json=single
    )
    assert "already used" in shared["detail"]

    # The single-proposal decision of today's proposals still works, under a number of its own.
    single["number"] = "403/QĐ-LHHVN"
    await call(api, "POST", f"/api/proposals/{later}/decision", "president", json=single)
    assert (await state_of(api, later))["decision"]["number"] == "403/QĐ-LHHVN"


async def test_rule_deputy_refused_outside_the_period_and_outside_the_scope(
    api: httpx.AsyncClient,
) -> None:
    (pid,) = await approved(api, 1)
    await delegate(api, "council.2", ["sign_decision"], starts=10, ends=20)
    await delegate(api, "council.3", ["chair_session"])
    vietnamese = {"Accept-Language": "vi"}

    body = decision("404/QĐ-LHHVN", [pid], signing_form="KT")
    outside = await call(
        api, "POST", "/api/decisions", "council.2", 403, json=body, headers=vietnamese
    )
    assert outside["type"] == "urn:awards:problem:delegation-refused"
    assert "ủy quyền" in outside["detail"] and "ngoài thời hạn" in outside["detail"]
    scope = await call(api, "POST", "/api/decisions", "council.3", 403, json=body)
    assert "covers chair_session, not sign_decision" in scope["detail"]
    own = await call(
        api, "POST", "/api/decisions", "council.3", 403, json={**body, "signing_form": "own"}
    )
    assert "only under a delegation" in own["detail"]
    assert (await state_of(api, pid))["state"] == "council_approved"

    listed = await call(api, "GET", "/api/delegations", "auditor")
    mine = [d for d in listed["items"] if d["deputy"] == "council.3"]
    revoked = await call(
        api, "POST", f"/api/delegations/{mine[0]['id']}/revoke", "president", json={"reason": "về"}
    )
    assert revoked["revoked_on"] == today().isoformat()
    not_holder = await call(
        api,
        "POST",
        f"/api/delegations/{mine[0]['id']}/revoke",
        "council.3",
        409,
        json={"reason": "x"},
    )
    assert "only president" in not_holder["detail"]


def _token(user: str) -> dict[str, str]:
    from journey import token

    return token(user)
