"""/api/calendar: a year's days off and make-up Saturdays (any signed-in user), and an admin's
additions, which every working-day count of the service then uses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.actor import Actor, Role
from services.api.params import Admin, CurrentUser, IdempotencyKey, RuntimeDep
from services.api.schemas.rulebook import CalendarDayIn, CalendarDayOut, Recorded

router = APIRouter(prefix="/api/calendar", tags=["calendar"])


@router.get(
    "/{year}",
    summary="The year's days off on weekdays and make-up Saturdays",
    response_model=list[CalendarDayOut],
)
async def show_year(
    year: Annotated[int, Path(ge=2000, le=2100)], user: CurrentUser, runtime: RuntimeDep
) -> list[CalendarDayOut]:
    days = await run_in_threadpool(runtime.calendars.year, year)
    return [CalendarDayOut.model_validate(d, from_attributes=True) for d in days]


@router.post(
    "/days",
    status_code=201,
    summary="Record a day off or a make-up Saturday (admin)",
    description="A day off must be a working weekday; a make-up Saturday a Saturday off (422).",
    response_model=Recorded,
    responses={200: {"model": Recorded, "description": "Recorded before"}},
)
async def add_day(
    body: CalendarDayIn,
    response: Response,
    user: Admin,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> Recorded:
    working = body.kind == "working_saturday"
    add = runtime.calendars.add_working_saturday if working else runtime.calendars.add_day_off
    key = f"{body.kind}:{idempotency_key or body.day.isoformat()}"
    actor = Actor(user.username, Role.ADMIN)
    added = await run_in_threadpool(add, body.day, actor, body.reason, key)
    response.status_code = 201 if added else 200
    return Recorded(recorded=added)
