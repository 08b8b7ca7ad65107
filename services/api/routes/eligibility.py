"""/api/register (the award register) and /api/holds (discipline, investigation, complaint)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from starlette.concurrency import run_in_threadpool

from domain.eligibility.identity import unit_of
from domain.kernel.actor import Actor, Role
from domain.kernel.message import Message
from services.api.deps import require
from services.api.params import CurrentUser, HoldKeeper, IdempotencyKey, RuntimeDep
from services.api.problems import Problem
from services.api.schemas.eligibility import (
    EntryView,
    HoldCreate,
    HoldList,
    HoldRelease,
    HoldView,
    ImportView,
    NomineeKey,
    RegisterView,
)
from services.application.directory import User
from services.application.eligibility import record_hold
from services.application.holds import HoldRecord

router = APIRouter(prefix="/api", tags=["eligibility"])
_VIETNAM = timezone(timedelta(hours=7))
_MAX_WORKBOOK = 20 * 1024 * 1024
Admin = Annotated[User, Depends(require(Role.ADMIN))]
HoldReader = Annotated[User, Depends(require(Role.COUNCIL_SECRETARY, Role.ADMIN, Role.AUDITOR))]
_READERS = (Role.COUNCIL_SECRETARY, Role.AUDITOR, Role.ADMIN)


def _key(idempotency_key: str | None, user: User) -> str:
    return idempotency_key or f"{datetime.now(UTC).isoformat()}:{user.username}"


@router.get(
    "/register", summary="The award register of a nominee or a unit", response_model=RegisterView
)
async def register(
    user: CurrentUser,
    runtime: RuntimeDep,
    nominee: Annotated[NomineeKey | None, Query()] = None,
    unit: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> RegisterView:
    """Council secretaries, auditors and admins read any; a proposer reads its own unit's."""
    if not user.has(*_READERS):
        own = user.unit_id or ""
        if (
            not user.has(Role.PROPOSER)
            or (nominee and unit_of(nominee) != own)
            or (unit and unit != own)
        ):
            raise Problem(
                403, "forbidden", Message("a proposer reads only its own unit's register")
            )
        unit = None if nominee else own
    if nominee:
        found = await run_in_threadpool(runtime.register.entries_for, nominee, year)
    elif unit:
        found = await run_in_threadpool(runtime.register.entries_of_unit, unit, year)
    else:
        raise Problem(422, "invalid-input", Message("give a nominee or a unit"))
    return RegisterView(entries=[EntryView.of(entry) for entry in found])


@router.post(
    "/register/import", summary="Import earlier years' awards from Excel", response_model=ImportView
)
async def import_register(
    file: Annotated[UploadFile, File()], user: Admin, runtime: RuntimeDep
) -> ImportView:
    """All or nothing; bad cells are listed by sheet, row and column; the same file again
    changes nothing."""
    content = await file.read(_MAX_WORKBOOK + 1)
    if len(content) > _MAX_WORKBOOK:
        raise Problem(
            413,
            "too-large",
            Message("a document may hold at most {limit} bytes", limit=_MAX_WORKBOOK),
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.xlsx"
        path.write_bytes(content)
        actor = Actor(user.username, Role.ADMIN)
        done = await run_in_threadpool(
            runtime.register.import_workbook,
            path,
            actor,
            f"import of {file.filename or 'a workbook'}",
        )
    return ImportView(entries=done.entries, recorded=done.recorded, nominees=done.nominees)


@router.post(
    "/holds", status_code=201, summary="Record a hold on a nominee", response_model=HoldView
)
async def create_hold(
    body: HoldCreate, user: HoldKeeper, runtime: RuntimeDep, idempotency_key: IdempotencyKey = None
) -> HoldView:
    """A complaint also puts the nominee's proposals under way on hold."""
    record = HoldRecord(
        body.nominee, body.kind, body.reason, body.reference, body.start, body.until
    )
    hold = await record_hold(runtime, user, record, _key(idempotency_key, user))
    return HoldView.of(body.nominee, hold)


@router.post("/holds/{hold_id}/release", summary="Release a hold", response_model=HoldView)
async def release_hold(
    hold_id: str,
    body: HoldRelease,
    user: HoldKeeper,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> HoldView:
    ended = body.ended_on or datetime.now(_VIETNAM).date()
    actor = Actor(
        user.username, Role.COUNCIL_SECRETARY if user.has(Role.COUNCIL_SECRETARY) else Role.ADMIN
    )
    hold = await run_in_threadpool(
        runtime.holds.release, hold_id, body.reason, ended, actor, _key(idempotency_key, user)
    )
    nominee = await run_in_threadpool(runtime.holds.nominee_of, hold.id)
    return HoldView.of(nominee, hold)


@router.get("/holds", summary="A nominee's holds, open and released", response_model=HoldList)
async def holds(
    nominee: Annotated[NomineeKey, Query()], user: HoldReader, runtime: RuntimeDep
) -> HoldList:
    found = await run_in_threadpool(runtime.holds.of, nominee)
    return HoldList(holds=[HoldView.of(nominee, hold) for hold in found])
