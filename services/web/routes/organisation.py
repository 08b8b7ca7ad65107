"""The organisation of an emulation year: the council, the clusters and blocks with their
members, head, deputy and supervisor (for everyone signed in); for the admin also the people,
the workbook's import (refused rows shown by sheet, row and column), export and template."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import today
from domain.kernel.message import Message
from domain.organisation.aggregate import FIRST_YEAR, LAST_YEAR
from domain.organisation.values import OrgContent
from services.application.org_export import write_workbook
from services.application.org_workbook import ImportProblem, WorkbookRefused, import_workbook
from services.application.organisation import OrgYear
from services.runtime import Runtime
from services.web.deps import FieldError, PageError, RuntimeDep, ViewerDep, need, posted, text
from services.web.nominations import new_key
from services.web.rendering import page
from services.web.session import Viewer

router = APIRouter(prefix="/organisation", include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WORKBOOK = 10 * 1024 * 1024
DONE = {
    "imported": "The workbook is recorded as the year's organisation.",
    "unchanged": "The workbook holds what is recorded already: nothing changed.",
}


@router.get("")
async def current(runtime: RuntimeDep, viewer: ViewerDep, year: int | None = None) -> Response:
    """The year chosen in the selector; else the year in force today, or the latest one."""
    years = await run_in_threadpool(runtime.organisation.years)
    now = today().year
    chosen = year or max((y for y in years if y <= now), default=years[-1] if years else now)
    return RedirectResponse(f"/organisation/{chosen}", status_code=303)


@router.get("/template.xlsx")
async def template(viewer: ViewerDep) -> Response:
    """The empty workbook in the layout the import reads."""
    need(viewer, "admin")
    data = await run_in_threadpool(write_workbook, today().year, OrgContent())
    return _workbook(data, "to-chuc-mau.xlsx")


@router.get("/{year}")
async def year_page(
    request: Request, year: int, runtime: RuntimeDep, viewer: ViewerDep, done: str | None = None
) -> Response:
    return await _page(request, runtime, viewer, year, notice=DONE.get(done or ""))


@router.get("/{year}/export.xlsx")
async def export(year: int, runtime: RuntimeDep, viewer: ViewerDep) -> Response:
    need(viewer, "admin")
    found = await _year(runtime, year)
    data = await run_in_threadpool(write_workbook, year, found.content)
    return _workbook(data, f"to-chuc-{year}.xlsx")


@router.post("/{year}/import")
async def import_year(
    request: Request, year: int, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    """All or nothing: a refused workbook stores nothing and its problems are listed."""
    need(viewer, "admin")
    _check_year(year)
    form = await posted(request, viewer)
    try:
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            raise FieldError(Message("choose a file to attach"))
        data = await file.read(MAX_WORKBOOK + 1)
        if len(data) > MAX_WORKBOOK:
            raise FieldError(
                Message("a document may hold at most {limit} bytes", limit=MAX_WORKBOOK)
            )
        reason = text(form, "reason", required=True)
        key = text(form, "key", limit=200) or new_key()
        actor = Actor(viewer.person.username, Role.ADMIN)
        _, recorded = await run_in_threadpool(
            import_workbook, runtime.organisation, data, actor, reason, key, year
        )
    except WorkbookRefused as refused:
        return await _page(
            request, runtime, viewer, year, refused.message, 422, problems=refused.problems
        )
    except FieldError as refusal:
        return await _page(request, runtime, viewer, year, refusal.message, 422)
    done = "imported" if recorded else "unchanged"
    return RedirectResponse(f"/organisation/{year}?done={done}", status_code=303)


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PageError(404, Message("the organisation of {year} is not recorded", year=year))


async def _year(runtime: Runtime, year: int) -> OrgYear:
    _check_year(year)
    found = await run_in_threadpool(runtime.organisation.year, year)
    if found is None:
        raise PageError(404, Message("the organisation of {year} is not recorded", year=year))
    return found


async def _page(
    request: Request,
    runtime: Runtime,
    viewer: Viewer,
    year: int,
    error: Message | None = None,
    status_code: int = 200,
    notice: str | None = None,
    problems: tuple[ImportProblem, ...] = (),
) -> Response:
    years = await run_in_threadpool(runtime.organisation.years)
    found = await run_in_threadpool(runtime.organisation.year, year) if year in years else None
    if found is None and viewer.role != "admin":  # the admin may import a year not recorded
        raise PageError(404, Message("the organisation of {year} is not recorded", year=year))
    _check_year(year)
    return page(
        request,
        "organisation.html",
        viewer,
        viewer.language,
        status_code=status_code,
        year=year,
        years=years,
        org=found,
        names=_names(found),
        sees_people=viewer.role in ("admin", "auditor"),
        problems=problems,
        key=new_key(),
        error=error,
        notice=notice,
    )


def _names(found: OrgYear | None) -> dict[str, str]:
    """Username or unit id -> the name a reader knows it by."""
    if found is None:
        return {}
    names = {unit.id: unit.name for unit in found.units}
    names.update({person.username: person.full_name for person in found.people})
    return names


def _workbook(data: bytes, filename: str) -> Response:
    disposition = f"attachment; filename={filename}"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": disposition})
