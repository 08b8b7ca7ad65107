"""The cluster's year as a page: its stage and deadline in working days, the pledge's
signatures, the criteria, every score (self, adjusted, contested, settled), the ranking, the
conference's candidates and result, the elected head and deputy; and the forms the viewer's
role and unit may use now. Read by the cluster's members and VUSTA's own roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.cluster_year.aggregate import ClusterYear
from domain.cluster_year.conference import own_lines
from domain.kernel.calendar import VIETNAM, DeadlineDistance, distance_to, today
from domain.kernel.message import Message
from services.application import cluster_year as years
from services.runtime import Runtime
from services.web.deps import PageError, RuntimeDep, ViewerDep
from services.web.nominations import new_key
from services.web.rendering import page
from services.web.session import Viewer
from services.web.year_steps import criteria_templates, deadline

router = APIRouter(include_in_schema=False)
YEAR = "/years/{year}/clusters/{cluster}"
READERS = ("council_secretary", "council_member", "auditor", "admin", "president")
DONE = {
    "launched": "The year is launched.",
    "pledged": "Your unit's pledge is signed.",
    "criteria": "The criteria are set.",
    "scoring": "Scoring is open: the criteria are frozen.",
    "scored": "Your unit's score is recorded.",
    "adjusted": "The adjustment is recorded with its reason.",
    "contested": "Your contest is recorded; the deputy settles it.",
    "settled": "The contest is settled.",
    "mid-year": "The mid-year review is recorded.",
    "ranked": "The year-end summary is recorded and the members are ranked.",
    "candidates": "The candidates are on the ballot: the ballot box is open.",
    "closed": "The ballot box is closed and counted.",
    "elected": "Next year's head and deputy are recorded.",
}


@dataclass(frozen=True)
class Seat:
    """Where the viewer sits in this cluster year: the unit they act for and its offices."""

    unit: str | None  # a member unit of the year, when the viewer acts as its member
    head: bool
    deputy: bool
    secretary: bool


def may_read(viewer: Viewer, cluster: str) -> bool:
    return viewer.role in READERS or viewer.person.cluster_id == cluster


def seat_of(viewer: Viewer, current: ClusterYear | None) -> Seat:
    unit = viewer.person.unit_id if viewer.role == "cluster_member" else None
    if current is not None and unit not in current.members:
        unit = None
    return Seat(
        unit=unit,
        head=current is not None and unit is not None and unit == current.head,
        deputy=current is not None and unit is not None and unit == current.deputy,
        secretary=viewer.role == "council_secretary",
    )


async def year_page(
    request: Request,
    runtime: Runtime,
    viewer: Viewer,
    year: int,
    cluster: str,
    error: Message | None = None,
    status_code: int = 200,
    notice: str | None = None,
) -> Response:
    if not may_read(viewer, cluster):
        raise PageError(
            404, Message("no cluster year {cluster} {year}", cluster=cluster, year=year)
        )
    try:
        current: ClusterYear | None = await run_in_threadpool(
            years.read_year, runtime, year, cluster
        )
    except years.YearNotFound:
        current = None
    org = await run_in_threadpool(runtime.organisation.in_force, year)
    group = org.group(cluster) if org else None
    if current is None and group is None:
        raise PageError(
            404, Message("no cluster year {cluster} {year}", cluster=cluster, year=year)
        )
    due = await deadline(runtime, year, cluster) if current is not None else None
    names = {unit.id: unit.name for unit in org.units} if org else {}
    seat = seat_of(viewer, current)
    return page(
        request,
        "cluster_year.html",
        viewer,
        viewer.language,
        status_code=status_code,
        year=year,
        cluster=cluster,
        group=group,
        y=current,
        names=names,
        seat=seat,
        deadline=due,
        distance=_distance(due),
        criteria=_criteria(current),
        ballot_lines=_ballot_lines(current, seat),
        templates=await run_in_threadpool(criteria_templates, runtime),
        key=new_key(),
        error=error,
        notice=notice,
    )


def _distance(due: datetime | None) -> DeadlineDistance | None:
    return distance_to(due, datetime.now(VIETNAM)) if due else None


@dataclass(frozen=True)
class Criterion:
    group: str
    code: str
    name: str
    max_points: int


def _criteria(current: ClusterYear | None) -> list[Criterion]:
    if current is None or current.criteria is None:
        return []
    return [
        Criterion(group["name"], c["code"], c["name"], int(c["max_points"]))
        for group in current.criteria["groups"]
        for c in group["criteria"]
    ]


def _ballot_lines(current: ClusterYear | None, seat: Seat) -> list[str]:
    """The lines this unit votes on: every candidate but its own."""
    if current is None or seat.unit is None:
        return []
    own = set(own_lines(seat.unit, current.lines))
    return [line for line in current.line_ids if line not in own]


@router.get("/years/mine")
async def mine(runtime: RuntimeDep, viewer: ViewerDep) -> Response:
    """A member's own cluster: its latest launched year up to this one, else this year."""
    cluster = viewer.person.cluster_id
    if not cluster:
        raise PageError(404, Message("you belong to no cluster"))
    now = today().year
    for year in range(now, now - 3, -1):
        try:
            await run_in_threadpool(years.read_year, runtime, year, cluster)
        except years.YearNotFound:
            continue
        return RedirectResponse(f"/years/{year}/clusters/{cluster}", status_code=303)
    return RedirectResponse(f"/years/{now}/clusters/{cluster}", status_code=303)


@router.get(YEAR)
async def show(
    request: Request,
    year: int,
    cluster: str,
    runtime: RuntimeDep,
    viewer: ViewerDep,
    done: str | None = None,
) -> Response:
    return await year_page(request, runtime, viewer, year, cluster, notice=DONE.get(done or ""))
