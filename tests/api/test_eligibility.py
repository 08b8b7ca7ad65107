"""Eligibility over the API: a refusal lists rule, version and facts; the register's import
(all or nothing, the same file again changes nothing); holds recorded and released."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from journey import call, import_register, token
from journey import register_xlsx as xlsx

pytestmark = pytest.mark.integration
PERSON = {"kind": "individual", "name": "Trần Thị B", "unit_id": "lhh-phu-yen"}
PERSON_KEY = "person:lhh-phu-yen/trần thị b"


def draft(nominee: dict[str, str], title: str, year: int = 2026) -> dict[str, Any]:
    form = "vusta_certificate"
    return {"form": form, "year": year, "nominee": nominee, "title": title, "summary": ""}


async def nominate(api: httpx.AsyncClient, proposer: str, body: dict[str, Any]) -> httpx.Response:
    return await api.post("/api/proposals", json=body, headers=token(proposer))


async def upload(api: httpx.AsyncClient, content: bytes, expect: int) -> dict[str, Any]:
    return await import_register(api, content, expect)


async def test_rule_certificate_prerequisites_refusal_lists_rule_version_and_facts(
    api: httpx.AsyncClient,
) -> None:
    refused = await nominate(api, "phu-yen.proposer", draft(PERSON, "Thành tích 2026"))
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["type"] == "urn:awards:problem:not-eligible"
    [refusal] = body["refusals"]
    assert refusal["rule"] == "certificate_prerequisites"
    assert refusal["version"] == "decree-152-2025" and refusal["facts"]
    assert refusal["i18n"]["vi"].startswith("Bằng khen của Liên hiệp Hội Việt Nam cho cá nhân")


async def test_register_import_is_all_or_nothing_and_a_reimport_changes_nothing(
    api: httpx.AsyncClient,
) -> None:
    good = [
        ("individual", "lhh-phu-yen", "Trần Thị B", "", 2024, "grassroots_fighter", "", "QĐ 7", ""),
        ("individual", "lhh-phu-yen", "Trần Thị B", "", 2025, "grassroots_fighter", "", "QĐ 9", ""),
    ]
    bad = await upload(api, xlsx([*good, ("individual", "", "X", "", 2025, "x", "", "", "")]), 422)
    assert bad["errors"][0]["en"].startswith("sheet register, row 4, column B (unit_id)")
    empty = await call(api, "GET", f"/api/register?nominee={PERSON_KEY}", "auditor")
    assert empty["entries"] == []
    first = await upload(api, xlsx(good), 200)
    again = await upload(api, xlsx(good), 200)
    assert (first["recorded"], again["recorded"]) == (2, 0)
    shown = await call(api, "GET", f"/api/register?nominee={PERSON_KEY}", "vusta.secretary")
    assert [e["year"] for e in shown["entries"]] == [2024, 2025]
    await call(api, "GET", "/api/register?unit=lhh-binh-dinh", "phu-yen.proposer", 403)
    own = await call(api, "GET", "/api/register", "phu-yen.proposer")
    assert len(own["entries"]) == 2
    # Two fighter years running: eligible now; the same achievement again is refused.
    created = await nominate(api, "phu-yen.proposer", draft(PERSON, "Thành tích năm 2026"))
    assert created.status_code == 201, created.text
    twice = await nominate(api, "phu-yen.proposer", draft(PERSON, "thành tích  năm 2026."))
    assert twice.status_code == 409
    assert [r["rule"] for r in twice.json()["refusals"]] == ["one_achievement_one_form"]


async def test_rule_no_proposal_under_hold_until_released_then_only_later_achievements(
    api: httpx.AsyncClient,
) -> None:
    unit = {"kind": "collective", "name": "LHH Trà Vinh", "unit_id": "lhh-tra-vinh"}
    hold = {
        "nominee": "unit:lhh-tra-vinh",
        "kind": "discipline",
        "reason": "Khiển trách",
        "reference": "3/QĐ-KL",
        "start": "2026-03-01",
    }
    recorded = await call(api, "POST", "/api/holds", "vusta.secretary", 201, json=hold)
    await call(api, "POST", "/api/holds", "tra-vinh.proposer", 403, json=hold)
    held = await nominate(api, "tra-vinh.proposer", draft(unit, "Tập thể 2026"))
    assert [r["rule"] for r in held.json()["refusals"]] == ["no_proposal_under_hold"]
    release = {"reason": "Hết thời hạn kỷ luật", "ended_on": "2027-01-15"}
    path = f"/api/holds/{recorded['id']}/release"
    released = await call(api, "POST", path, "vusta.secretary", json=release)
    assert released["released_on"] == "2027-01-15"
    listed = await call(api, "GET", "/api/holds?nominee=unit:lhh-tra-vinh", "auditor")
    assert [h["id"] for h in listed["holds"]] == [recorded["id"]]
    earlier = await nominate(api, "tra-vinh.proposer", draft(unit, "Tập thể 2026"))
    assert earlier.status_code == 409
    assert "ended 2027-01-15" in earlier.json()["refusals"][0]["facts"][0]
    later = await nominate(api, "tra-vinh.proposer", draft(unit, "Tập thể 2027", 2027))
    assert later.status_code == 201, later.text
