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


def _key(kind: str, body: CalendarDayIn, idempotency_key: str | None) -> str:
    return f"{kind}:{idempotency_key or body.day.isoformat()}"


@router.post(
    "/days-off",
    status_code=201,
    summary="Give a working weekday off (admin)",
    response_model=Recorded,
)
async def add_day_off(
    body: CalendarDayIn,
    response: Response,
    user: Admin,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> Recorded:
    actor = Actor(user.username, Role.ADMIN)
    key = _key("off", body, idempotency_key)
    added = await run_in_threadpool(
        runtime.calendars.add_day_off, body.day, actor, body.reason, key
    )
    response.status_code = 201 if added else 200
    return Recorded(recorded=added)


@router.post(
    "/working-saturdays",
    status_code=201,
    summary="Make a Saturday a working day (admin)",
    response_model=Recorded,
)
async def add_working_saturday(
    body: CalendarDayIn,
    response: Response,
    user: Admin,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> Recorded:
    actor = Actor(user.username, Role.ADMIN)
    key = _key("saturday", body, idempotency_key)
    added = await run_in_threadpool(
        runtime.calendars.add_working_saturday, body.day, actor, body.reason, key
    )
    response.status_code = 201 if added else 200
    return Recorded(recorded=added)
