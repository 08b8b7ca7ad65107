"""/api/org/years: the organisation of each emulation year (read by any signed-in user; the
people by admins and auditors), its workbook, and an admin's single edits."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import today
from domain.kernel.message import Message
from domain.organisation.aggregate import FIRST_YEAR, LAST_YEAR
from domain.organisation.values import Person
from domain.rulebook.version import Scope
from services.api.deps import require
from services.api.params import Auditor, CurrentUser, IdempotencyKey, RuntimeDep
from services.api.problems import Problem
from services.api.schemas.organisation import (
    Changed,
    CouncilOut,
    GroupDetail,
    GroupOut,
    Imported,
    Leadership,
    Membership,
    OrgYears,
    PersonIn,
    PersonOut,
    Reasoned,
    UnitOut,
    YearSummary,
)
from services.application.directory import User
from services.application.org_export import write_workbook
from services.application.org_workbook import WorkbookRefused, import_workbook
from services.application.organisation import OrgYear
from services.i18n.catalogue import both, negotiate, render
from services.runtime import Runtime

router = APIRouter(prefix="/api/org/years", tags=["organisation"])
Admin = Annotated[User, Depends(require(Role.ADMIN))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MAX_WORKBOOK = 10 * 1024 * 1024
YearPath = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR, description="the emulation year")]


async def _year(runtime: Runtime, year: int) -> OrgYear:
    found = await run_in_threadpool(runtime.organisation.year, year)
    if found is None:
        raise Problem(
            404, "not-found", Message("the organisation of {year} is not recorded", year=year)
        )
    return found


def _admin(user: User) -> Actor:
    return Actor(user.username, Role.ADMIN)


def _key(given: str | None) -> str:
    return given or f"api:{uuid.uuid4()}"


@router.get("", response_model=OrgYears, summary="The recorded organisation years")
async def years(user: CurrentUser, runtime: RuntimeDep) -> OrgYears:
    found = await run_in_threadpool(runtime.organisation.years)
    now = today().year
    return OrgYears(years=found, in_force=max((y for y in found if y <= now), default=None))


@router.get("/{year}", response_model=YearSummary, summary="One year's organisation in numbers")
async def summary(year: YearPath, user: CurrentUser, runtime: RuntimeDep) -> YearSummary:
    found = await _year(runtime, year)
    scopes = [g.scope for g in found.groups]
    return YearSummary(
        year=found.year,
        version=found.version,
        copied_from=found.copied_from,
        president=found.content.president,
        notes=found.content.notes,
        units=len(found.units),
        clusters=scopes.count(Scope.CLUSTER),
        blocks=scopes.count(Scope.BLOCK),
        people=len(found.people),
    )


@router.get("/{year}/units", response_model=list[UnitOut], summary="The year's units")
async def units(year: YearPath, user: CurrentUser, runtime: RuntimeDep) -> list[UnitOut]:
    found = await _year(runtime, year)
    return [UnitOut.of(unit, found.content) for unit in found.units]


@router.get("/{year}/clusters", response_model=list[GroupOut], summary="The year's clusters")
async def clusters(year: YearPath, user: CurrentUser, runtime: RuntimeDep) -> list[GroupOut]:
    found = await _year(runtime, year)
    return [GroupOut.of(g) for g in found.groups if g.scope == Scope.CLUSTER]


@router.get("/{year}/blocks", response_model=list[GroupOut], summary="The year's blocks")
async def blocks(year: YearPath, user: CurrentUser, runtime: RuntimeDep) -> list[GroupOut]:
    found = await _year(runtime, year)
    return [GroupOut.of(g) for g in found.groups if g.scope == Scope.BLOCK]


@router.get(
    "/{year}/clusters/{group_id}",
    response_model=GroupDetail,
    summary="A cluster or block: members, head, deputy, supervisor",
)
async def cluster(
    year: YearPath, group_id: str, user: CurrentUser, runtime: RuntimeDep
) -> GroupDetail:
    found = await _year(runtime, year)
    group = found.group(group_id)
    if group is None:
        message = Message("no cluster or block {group} in this year", group=group_id)
        raise Problem(404, "not-found", message)
    members = [found.unit(m) for m in group.members]
    units = [UnitOut.of(u, found.content) for u in members if u is not None]
    return GroupDetail(**GroupOut.of(group).model_dump(), units=units)


@router.get("/{year}/council", response_model=CouncilOut, summary="The council and Presidium")
async def council(year: YearPath, user: CurrentUser, runtime: RuntimeDep) -> CouncilOut:
    found = await _year(runtime, year)
    return CouncilOut(
        president=found.content.president,
        presidium=list(found.content.presidium),
        **found.council.to_json(),
    )


@router.get("/{year}/people", response_model=list[PersonOut], summary="People and their roles")
async def people(year: YearPath, user: Auditor, runtime: RuntimeDep) -> list[PersonOut]:
    found = await _year(runtime, year)
    return [PersonOut.of(p) for p in found.people]


@router.get(
    "/{year}/export",
    summary="The year as the Excel workbook `import` reads",
    response_class=Response,
    responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def export(year: YearPath, user: CurrentUser, runtime: RuntimeDep) -> Response:
    found = await _year(runtime, year)
    data = await run_in_threadpool(write_workbook, year, found.content)
    disposition = f"attachment; filename=to-chuc-{year}.xlsx"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.post(
    "/{year}/import",
    response_model=Imported,
    summary="Record a workbook as the year's organisation, all or nothing",
)
async def import_year(
    year: YearPath,
    request: Request,
    file: Annotated[UploadFile, File()],
    user: Admin,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> Imported:
    data = await file.read(_MAX_WORKBOOK + 1)
    if len(data) > _MAX_WORKBOOK:
        message = Message("a document may hold at most {limit} bytes", limit=_MAX_WORKBOOK)
        raise Problem(413, "too-large", message)
    reason = f"imported {file.filename or 'a workbook'} over the API"
    try:
        book, recorded = await run_in_threadpool(
            import_workbook,
            runtime.organisation,
            data,
            _admin(user),
            reason,
            _key(idempotency_key),
            year,
        )
    except WorkbookRefused as refused:
        language = negotiate(request.headers.get("accept-language"))
        problems = [
            {
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "detail": render(p.described(), language),
                "i18n": both(p.described()),
            }
            for p in refused.problems
        ]
        raise Problem(422, "invalid-input", refused.message, problems=problems) from None
    return Imported(year=book.year, sha256=book.sha256, recorded=recorded)


@router.put(
    "/{year}/clusters/{group_id}/leadership",
    response_model=Changed,
    summary="Set the head and deputy of a cluster or block",
)
async def set_leadership(
    year: YearPath,
    group_id: str,
    body: Leadership,
    user: Admin,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> Changed:
    key = _key(idempotency_key)
    await run_in_threadpool(
        runtime.organisation.record_election,
        year,
        group_id,
        body.head,
        body.deputy,
        _admin(user),
        body.reason,
        key,
    )
    return Changed(year=year, recorded=True)


@router.post(
    "/{year}/clusters/{group_id}/members",
    response_model=Changed,
    summary="Add a unit to a cluster or block",
)
async def add_member(
    year: YearPath,
    group_id: str,
    body: Membership,
    user: Admin,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> Changed:
    recorded = await run_in_threadpool(
        runtime.organisation.add_member,
        year,
        group_id,
        body.unit_id,
        _admin(user),
        body.reason,
        _key(idempotency_key),
    )
    return Changed(year=year, recorded=recorded)


@router.post(
    "/{year}/clusters/{group_id}/members/{unit_id}/remove",
    response_model=Changed,
    summary="Take a unit out of a cluster or block",
)
async def remove_member(
    year: YearPath,
    group_id: str,
    unit_id: str,
    body: Reasoned,
    user: Admin,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> Changed:
    recorded = await run_in_threadpool(
        runtime.organisation.remove_member,
        year,
        group_id,
        unit_id,
        _admin(user),
        body.reason,
        _key(idempotency_key),
    )
    return Changed(year=year, recorded=recorded)


@router.put(
    "/{year}/people/{username}",
    response_model=Changed,
    summary="Set a person's unit and roles for the year",
)
async def set_person(
    year: YearPath,
    username: str,
    body: PersonIn,
    user: Admin,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> Changed:
    if Role.SYSTEM in body.roles:
        raise Problem(422, "invalid-input", Message("the role system is not given to people"))
    person = Person(username, body.full_name, body.unit_id, tuple(body.roles), body.gender)
    recorded = await run_in_threadpool(
        runtime.organisation.set_person,
        year,
        person,
        _admin(user),
        body.reason,
        _key(idempotency_key),
    )
    return Changed(year=year, recorded=recorded)
