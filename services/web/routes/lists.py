"""The inbox (what the viewer must do now, with its deadline) and the list of proposals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.calendar import VIETNAM, DeadlineDistance
from domain.proposal.states import State
from domain.rulebook.defaults import KNOWN_FORMS
from services.application.directory import User
from services.application.proposals import ProposalNotFound
from services.application.views import proposal_view
from services.runtime import Runtime
from services.web.deps import RuntimeDep, ViewerDep
from services.web.rendering import page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
DONE = {  # notices after a redirect: fixed sentences, never text from the address
    "password": "Your password is changed.",
}


@dataclass(frozen=True)
class Task:
    """One thing the viewer must do now."""

    id: str
    title: str
    form: str
    year: int
    state: str
    nominee: str
    deadline: datetime | None
    distance: DeadlineDistance | None  # in working days, on Vietnam's calendar
    overdue: bool
    counting: bool
    updated_at: datetime


def _deadline(view: dict[str, Any]) -> tuple[datetime | None, bool]:
    """The deadline of the step the proposal waits for: a vote's or the appraisal's."""
    stage = {"cluster_voting": "cluster", "council_voting": "council"}.get(view["state"])
    if stage and stage in view["votes"]:
        return view["votes"][stage]["deadline"], False
    if view["state"] == State.APPRAISAL and view["appraisal"]:
        return view["appraisal"]["deadline"], bool(view["appraisal"].get("overdue"))
    return None, False


def inbox_tasks(runtime: Runtime, user: User) -> list[Task]:
    """The inbox read model, each item with its deadline from the proposal itself; newest
    first."""
    tasks = []
    now = datetime.now(VIETNAM)
    calendar = runtime.calendars.calendar()  # the stored days off and make-up Saturdays
    for item in runtime.summaries.inbox(user):
        try:
            view = proposal_view(runtime.app.proposal(UUID(str(item["id"]))))
        except ProposalNotFound:
            continue
        deadline, overdue = _deadline(view)
        tasks.append(
            Task(
                id=str(item["id"]),
                title=view["title"],
                form=view["form"],
                year=view["year"],
                state=view["state"],
                nominee=view["nominee"].get("name", ""),
                deadline=deadline,
                distance=calendar.distance_to(deadline, now) if deadline else None,
                overdue=overdue or bool(deadline and deadline < now),
                counting=bool(item.get("counting")),
                updated_at=item["updated_at"],
            )
        )
    return sorted(tasks, key=lambda task: task.updated_at, reverse=True)


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/inbox", status_code=303)


@router.get("/inbox")
async def inbox(
    request: Request, runtime: RuntimeDep, viewer: ViewerDep, done: str | None = None
) -> Response:
    tasks = await run_in_threadpool(inbox_tasks, runtime, viewer.user)
    items = await run_in_threadpool(runtime.feed.items, viewer.user, 5)
    return page(
        request,
        "inbox.html",
        viewer,
        viewer.language,
        tasks=tasks,
        items=items,
        notice=DONE.get(done or ""),
    )


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


@router.get("/proposals")
async def proposals(
    request: Request,
    runtime: RuntimeDep,
    viewer: ViewerDep,
    year: str | None = None,
    cluster: str | None = None,
    form: str | None = None,
    state: str | None = None,
    page_number: str | None = None,
) -> Response:
    # Unknown filters are dropped rather than refused: the page is bookmarked and shared.
    forms = {f.code for f in KNOWN_FORMS}
    clusters = await run_in_threadpool(runtime.directory.clusters)
    filters = {
        "year": _int(year, 2000, 2100),
        "cluster": cluster if cluster in {c.id for c in clusters} else None,
        "form": form if form in forms else None,
        "state": state if state in {s.value for s in State} else None,
    }
    number = _int(page_number, 1, 10_000) or 1
    found = await run_in_threadpool(
        runtime.summaries.search, viewer.user, filters, number, PAGE_SIZE
    )
    pages = max(1, -(-found.total // PAGE_SIZE))
    return page(
        request,
        "proposals.html",
        viewer,
        viewer.language,
        found=found,
        pages=pages,
        filters=filters,
        clusters=clusters,
        forms=KNOWN_FORMS,
        states=[s.value for s in State],
    )
