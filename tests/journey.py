"""Steps of a proposal's journey through the API, shared by the integration tests."""

from __future__ import annotations

import asyncio
import io
import itertools
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import uuid4

import httpx
from openpyxl import Workbook

from domain.kernel.actor import Actor, Role
from domain.proposal.forms import find_form
from services.application.proposals import proposal_id_for
from services.application.register_workbook import COLUMNS
from services.application.seed import CLUSTERS, slug
from services.application.tokens import issue_token
from services.runtime import Runtime

SECRET = "integration-test-secret"

_numbers = itertools.count(10)
# Each draft its own achievement: one achievement earns one form (the eligibility rule).
_achievements = itertools.count(1)
PDF = ("application/pdf", b"%PDF-1.4\n% demo dossier\n")


def next_decision_number() -> str:
    return f"{next(_numbers)}/QĐ-LHHVN"


def member_of(unit_id: str) -> str:
    return f"{unit_id.removeprefix('lhh-')}.member"


def cluster_units(cluster: str) -> list[str]:
    return [f"lhh-{slug(p)}" for p in CLUSTERS[cluster][1]]


def token(username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(username, SECRET.encode(), 1)}"}


async def call(
    api: httpx.AsyncClient, method: str, path: str, user: str, expect: int = 200, **kwargs: Any
) -> dict[str, Any]:
    response = await api.request(
        method, path, headers={**token(user), **kwargs.pop("headers", {})}, **kwargs
    )
    assert response.status_code == expect, response.text
    body: dict[str, Any] = response.json()
    return body


def runtime_of(api: httpx.AsyncClient) -> Runtime:
    """The runtime behind a test API client: the one a browser test's client carries, else
    the app's behind an ASGI transport."""
    carried: Runtime | None = getattr(api, "runtime", None)
    if carried is not None:
        return carried
    runtime: Runtime = api._transport.app.state.runtime  # type: ignore[attr-defined]
    return runtime


async def lodged_flag(
    api: httpx.AsyncClient,
    proposer: str,
    form: str,
    nominee: dict[str, Any],
    title: str,
    year: int = 2026,
) -> str:
    """A Flag proposal as one was lodged directly before the rule conference_only refused it:
    the tests of the single-proposal cluster vote (kept for such proposals) start from one."""
    runtime = runtime_of(api)
    user = runtime.directory.user(proposer)
    unit = runtime.directory.unit(user.unit_id or "") if user else None
    assert unit is not None and unit.cluster_id
    unit_id, cluster = unit.id, unit.cluster_id
    actor = Actor(proposer, Role.PROPOSER)
    key = f"lodged-{uuid4()}"
    proposal, _ = await asyncio.to_thread(
        lambda: runtime.app.nominate(
            proposal_id=proposal_id_for(actor, key),
            form=find_form(form),
            year=year,
            proposing_unit=unit_id,
            cluster=cluster,
            nominee=nominee,
            title=title,
            summary="Dẫn đầu Cụm thi đua số 4",
            actor=actor,
            key=f"create:{key}",
            rulebook_version="decree-152-2025",
        )
    )
    await runtime.process.start(str(proposal.id), proposal.form, True)
    return str(proposal.id)


async def create(
    api: httpx.AsyncClient,
    proposer: str = "ninh-binh.proposer",
    form: str = "vusta_flag",
    nominee: dict[str, Any] | None = None,
) -> str:
    nominee = nominee or {
        "kind": "collective",
        "name": "Liên hiệp Hội tỉnh Ninh Bình",
        "unit_id": "lhh-ninh-binh",
    }
    title = f"Đề nghị tặng Cờ thi đua năm 2026 (thành tích {next(_achievements)})"
    if find_form(form).cluster_vote:  # refused over the API now: see lodged_flag
        return await lodged_flag(api, proposer, form, nominee, title)
    body = await call(
        api,
        "POST",
        "/api/proposals",
        proposer,
        201,
        json={
            "form": form,
            "year": 2026,
            "nominee": nominee,
            "title": title,
            "summary": "Dẫn đầu Cụm thi đua số 4",
        },
    )
    return str(body["id"])


async def attach(
    api: httpx.AsyncClient,
    pid: str,
    kind: str,
    proposer: str = "ninh-binh.proposer",
    content: bytes = PDF[1],
) -> dict[str, Any]:
    return await call(
        api,
        "POST",
        f"/api/proposals/{pid}/documents",
        proposer,
        201,
        files={"file": (f"{kind}.pdf", content + kind.encode(), PDF[0])},
        data={"kind": kind},
    )


async def submitted(
    api: httpx.AsyncClient, proposer: str = "ninh-binh.proposer", form: str = "vusta_flag"
) -> str:
    pid = await create(api, proposer, form)
    await attach(api, pid, "request_letter", proposer)
    await attach(api, pid, "achievement_report", proposer)
    await call(api, "POST", f"/api/proposals/{pid}/submit", proposer, json={"comment": "gửi"})
    return pid


async def cluster_votes(api: httpx.AsyncClient, pid: str, choices: list[str]) -> dict[str, Any]:
    """Cast the cluster ballots; answer the proposal as it is afterwards."""
    proposal = await call(api, "GET", f"/api/proposals/{pid}", "auditor")
    electorate = proposal["votes"]["cluster"]["electorate"]
    for unit, choice in zip(electorate, choices, strict=False):
        await call(
            api,
            "POST",
            f"/api/proposals/{pid}/cluster-votes",
            member_of(unit),
            json={"choice": choice},
        )
    return await call(api, "GET", f"/api/proposals/{pid}", "auditor")


async def council_votes(api: httpx.AsyncClient, pid: str, choices: list[str]) -> dict[str, Any]:
    """Cast the council ballots; answer the proposal as it is afterwards."""
    for index, choice in enumerate(choices, start=1):
        await call(
            api,
            "POST",
            f"/api/proposals/{pid}/council-votes",
            f"council.{index}",
            json={"choice": choice},
        )
    return await call(api, "GET", f"/api/proposals/{pid}", "auditor")


async def approve_appraisal(api: httpx.AsyncClient, pid: str) -> dict[str, Any]:
    """Approve the appraisal; answer the proposal as it is afterwards."""
    await call(
        api,
        "POST",
        f"/api/proposals/{pid}/appraisal",
        "vusta.secretary",
        json={"action": "approve", "reason": "hồ sơ đầy đủ"},
    )
    return await call(api, "GET", f"/api/proposals/{pid}", "auditor")


async def council_approved(api: httpx.AsyncClient) -> str:
    pid = await submitted(api)
    await cluster_votes(api, pid, ["yes"] * 6)
    await approve_appraisal(api, pid)
    await council_votes(api, pid, ["yes"] * 5)
    return pid


async def event_count(api: httpx.AsyncClient, pid: str) -> int:
    history = await call(api, "GET", f"/api/proposals/{pid}/history", "auditor")
    return len(history["events"])


def register_xlsx(rows: list[tuple[Any, ...]]) -> bytes:
    """An award register workbook (services/application/register_workbook.py's layout)."""
    book = Workbook()
    page = book.active
    assert page is not None
    page.title = "register"
    page.append(COLUMNS)
    for row in rows:
        page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def import_register(api: httpx.AsyncClient, content: bytes, expect: int) -> dict[str, Any]:
    files = {"file": ("register.xlsx", content, "application/vnd.ms-excel")}
    return await call(api, "POST", "/api/register/import", "admin", expect, files=files)


async def wait_for(check: Callable[[], bool], timeout: float = 20.0) -> None:
    """Poll a condition until it holds (no fixed sleeps in tests)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def eventually(
    read: Callable[[], Awaitable[dict[str, Any]]],
    holds: Callable[[dict[str, Any]], bool],
    timeout: float = 20.0,
) -> dict[str, Any]:
    """Read until the answer satisfies the condition: lists and inboxes follow the event log
    in the background, so a write shows in them shortly after, not at once."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        answer = await read()
        if holds(answer):
            return answer
        if loop.time() > deadline:
            raise AssertionError(f"condition not met in time; last answer: {answer}")
        await asyncio.sleep(0.05)


def ids(answer: dict[str, Any]) -> set[str]:
    return {str(item["id"]) for item in answer["items"]}


async def inbox_of(api: httpx.AsyncClient, user: str) -> dict[str, Any]:
    return await call(api, "GET", "/api/inbox", user)
