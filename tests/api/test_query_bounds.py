"""Every number and enum-like parameter the API takes is bounded: out of range is a 422."""

from __future__ import annotations

import httpx
import pytest
from journey import create, token

from services.api.query import MAX_PAGE, MAX_PAGE_SIZE

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


async def assert_422_naming(response: httpx.Response, *loc: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert [tuple(e["loc"]) for e in response.json()["errors"]] == [loc]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("state", "\x00"),
        ("state", "flying"),
        ("form", "\x00"),
        ("form", "no_such_form"),
        ("cluster", "\x00"),
        ("cluster", "c" * 101),
        ("page", "184467440737095518"),  # page × page_size overflowed bigint: a 500 before
        ("page", str(MAX_PAGE + 1)),
        ("page", "0"),
        ("page_size", str(MAX_PAGE_SIZE + 1)),
        ("year", "99999"),
    ],
)
async def test_a_listing_parameter_out_of_bounds_is_422(
    api: httpx.AsyncClient, name: str, value: str
) -> None:
    response = await api.get("/api/proposals", params={name: value}, headers=token("auditor"))
    await assert_422_naming(response, "query", name)


async def test_the_last_page_allowed_answers_empty(api: httpx.AsyncClient) -> None:
    params = {"page": str(MAX_PAGE), "page_size": str(MAX_PAGE_SIZE), "state": "draft"}
    response = await api.get("/api/proposals", params=params, headers=token("auditor"))
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    "moment",
    [
        "2026-11-20T09:00:00",  # no zone
        "9999-12-31T23:59:59-23:59",  # near datetime's limit, a zone shift overflows
        "0001-01-01T00:00:00+14:00",
        "1800-01-01T00:00:00+07:00",
    ],
)
async def test_a_moment_without_zone_or_out_of_range_is_422(
    api: httpx.AsyncClient, moment: str
) -> None:
    pid = await create(api)
    auditor = token("auditor")
    response = await api.get(f"/api/proposals/{pid}", params={"as_of": moment}, headers=auditor)
    await assert_422_naming(response, "query", "as_of")
    response = await api.get(
        f"/api/audit/proposals/{pid}/as-of", params={"time": moment}, headers=auditor
    )
    await assert_422_naming(response, "query", "time")


async def test_audit_parameters_are_checked(api: httpx.AsyncClient) -> None:
    pid = await create(api)
    auditor = token("auditor")
    response = await api.get("/api/audit/verify", params={"proposal": "x"}, headers=auditor)
    await assert_422_naming(response, "query", "proposal")
    response = await api.get(
        f"/api/audit/proposals/{pid}/export", params={"format": "xml"}, headers=auditor
    )
    await assert_422_naming(response, "query", "format")
    response = await api.get("/api/audit/verify", params={"proposal": pid}, headers=auditor)
    assert response.status_code == 200, response.text
    assert response.json()["ok"] is True
