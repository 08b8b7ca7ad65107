"""Control characters in any text the API takes are a 422 naming the field, and store nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import psycopg
import pytest
import pytest_asyncio
from journey import create, submitted, token

from services.runtime import EVENTS_TABLE

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
# NUL (PostgreSQL cannot store it), another C0 control, DEL, a C1 control, a lone CR.
CONTROLS = ["\x00", "\x1f", "\x7f", "\x85", "\r"]
DRAFT = {
    "form": "vusta_certificate",  # a Flag is proposed by the conference, not directly
    "year": 2026,
    "nominee": {"kind": "collective", "name": "Liên hiệp Hội tỉnh Ninh Bình"},
    "title": "Đề nghị tặng Bằng khen",
}


@dataclass(frozen=True)
class Probe:
    """One place a text enters the API, and the `loc` its refusal must name."""

    name: str
    loc: tuple[str, ...]
    send: Callable[[httpx.AsyncClient, str, str], Awaitable[httpx.Response]]
    on_draft: bool = False  # a document could still be attached: a refusal must prevent it


def _post(user: str, path: str, **kwargs: Any) -> Callable[..., Awaitable[httpx.Response]]:
    async def send(api: httpx.AsyncClient, pid: str, bad: str) -> httpx.Response:
        filled = {k: _fill(v, bad) for k, v in kwargs.items()}
        # A header travels as Latin-1 bytes: send the character's byte as a client could.
        headers = {k: v.encode("latin-1") for k, v in filled.pop("headers", {}).items()}
        return await api.post(path.format(pid=pid), headers={**token(user), **headers}, **filled)

    return send


def _get(user: str, path: str, **params: str) -> Callable[..., Awaitable[httpx.Response]]:
    async def send(api: httpx.AsyncClient, pid: str, bad: str) -> httpx.Response:
        query = {k: v.format(bad=bad, pid=pid) for k, v in params.items()}
        url = path.format(pid=pid, bad=quote(bad))  # in a path, percent-encoded
        return await api.get(url, params=query, headers=token(user))

    return send


def _upload(filename: str, kind: str) -> Callable[..., Awaitable[httpx.Response]]:
    """A multipart upload written by hand: httpx would percent-encode controls in a name."""

    async def send(api: httpx.AsyncClient, pid: str, bad: str) -> httpx.Response:
        name, kind_value = filename.replace("{bad}", bad), kind.replace("{bad}", bad)
        body = (
            f'--b\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind_value}\r\n'
            f'--b\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--b--\r\n"
        ).encode()
        headers = {**token(PROPOSER), "Content-Type": "multipart/form-data; boundary=b"}
        return await api.post(f"/api/proposals/{pid}/documents", content=body, headers=headers)

    return send


def _fill(value: Any, bad: str) -> Any:
    """Put the bad character wherever a template says {bad}, at any depth."""
    if isinstance(value, str):
        return value.replace("{bad}", bad)
    if isinstance(value, dict):
        return {_fill(k, bad): _fill(v, bad) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_fill(v, bad) for v in value)
    return value


PROPOSER, MEMBER = "ninh-binh.proposer", "thanh-hoa.member"
PROBES = [
    # JSON body fields, at the top and nested, and in free-form ballots and shares. The
    # title's is trailing: pydantic's whitespace strip must not swallow it.
    Probe(
        "title",
        ("body", "title"),
        _post(PROPOSER, "/api/proposals", json={**DRAFT, "title": "x{bad}"}),
    ),
    Probe(
        "nominee name",
        ("body", "nominee", "name"),
        _post(
            PROPOSER,
            "/api/proposals",
            json={**DRAFT, "nominee": {"kind": "collective", "name": "a{bad}b"}},
        ),
    ),
    Probe(
        "comment",
        ("body", "comment"),
        _post(PROPOSER, "/api/proposals/{pid}/withdraw", json={"comment": "a{bad}b"}),
    ),
    Probe(
        "hold reason",
        ("body", "reason"),
        _post("vusta.secretary", "/api/proposals/{pid}/hold", json={"reason": "a{bad}b"}),
    ),
    Probe(
        "decision number",
        ("body", "number"),
        _post(
            "president",
            "/api/proposals/{pid}/decision",
            json={"outcome": "awarded", "number": "1{bad}/QĐ-LHHVN"},
        ),
    ),
    Probe(
        "receipt",
        ("body", "receipt"),
        _post(MEMBER, "/api/proposals/{pid}/receipts", json={"receipt": "r{bad}"}),
    ),
    Probe(
        "ballot value",
        ("body", "ballot"),
        _post(
            MEMBER,
            "/api/proposals/{pid}/cluster-votes",
            json={"ballot": {"selections": [{"c": "1{bad}"}]}},
        ),
    ),
    Probe(
        "ballot key",
        ("body", "ballot"),
        _post(MEMBER, "/api/proposals/{pid}/cluster-votes", json={"ballot": {"k{bad}": 1}}),
    ),
    Probe(
        "share value",
        ("body", "share"),
        _post(
            "council.1",
            "/api/proposals/{pid}/votes/cluster/shares",
            json={"share": {"trustee": "t{bad}"}},
        ),
    ),
    # Query parameters.
    Probe("state", ("query", "state"), _get("auditor", "/api/proposals", state="{bad}")),
    Probe("cluster", ("query", "cluster"), _get("auditor", "/api/proposals", cluster="c{bad}")),
    Probe("form", ("query", "form"), _get("auditor", "/api/proposals", form="vusta_flag{bad}")),
    Probe("as_of", ("query", "as_of"), _get("auditor", "/api/proposals/{pid}", as_of="2026{bad}")),
    Probe(
        "verify proposal",
        ("query", "proposal"),
        _get("auditor", "/api/audit/verify", proposal="{pid}{bad}"),
    ),
    # Path parameters.
    Probe(
        "proposal id", ("path", "proposal_id"), _get("auditor", "/api/proposals/{pid}{bad}/history")
    ),
    Probe(
        "vote stage",
        ("path", "stage"),
        _get("auditor", "/api/proposals/{pid}/votes/cluster{bad}/count"),
    ),
    Probe(
        "document", ("path", "sha256"), _get("auditor", "/api/proposals/{pid}/documents/ab{bad}")
    ),
    # A header the service stores (as part of a step's key).
    Probe(
        "idempotency key",
        ("header", "idempotency-key"),
        _post(PROPOSER, "/api/proposals/{pid}/withdraw", headers={"Idempotency-Key": "k{bad}"}),
    ),
    # Form fields and uploaded file names.
    Probe("document kind", ("body", "kind"), _upload("a.pdf", "other{bad}"), on_draft=True),
    Probe("file name", ("body", "file", "filename"), _upload("a{bad}.pdf", "other"), on_draft=True),
]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def proposal(api: httpx.AsyncClient) -> str:
    return await submitted(api)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def draft(api: httpx.AsyncClient) -> str:
    return await create(api)


def stored_events(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {EVENTS_TABLE}").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("bad", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.name)
async def test_a_control_character_is_422_naming_the_field_and_stores_nothing(
    api: httpx.AsyncClient,
    proposal: str,
    draft: str,
    database_url: str,
    probe: Probe,
    bad: str,
) -> None:
    before = stored_events(database_url)
    response = await probe.send(api, draft if probe.on_draft else proposal, bad)
    if probe.name == "file name" and bad == "\r":
        # A CR inside a multipart header line breaks the framing itself: 400, nothing read.
        assert response.status_code == 400, response.text
        assert stored_events(database_url) == before
        return
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert [tuple(e["loc"]) for e in body["errors"]] == [probe.loc]
    assert ".".join(probe.loc) in body["detail"]
    assert f"U+{ord(bad):04X}" in body["detail"]
    assert stored_events(database_url) == before


async def test_tab_newline_and_crlf_are_ordinary_text(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/api/proposals",
        json={**DRAFT, "title": "Cờ\tthi đua", "summary": "dòng 1\r\ndòng 2\ndòng 3"},
        headers={**token(PROPOSER), "Idempotency-Key": "tab-newline-crlf"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["title"] == "Cờ\tthi đua"
    assert response.json()["summary"] == "dòng 1\ndòng 2\ndòng 3"


async def test_a_refused_title_leaves_the_lists_answering(api: httpx.AsyncClient) -> None:
    refused = await api.post(
        "/api/proposals", json={**DRAFT, "title": "x\x00"}, headers=token(PROPOSER)
    )
    assert refused.status_code == 422
    await create(api)
    for path in ("/api/proposals", "/api/inbox"):
        response = await api.get(path, headers=token(PROPOSER))
        assert response.status_code == 200, response.text
