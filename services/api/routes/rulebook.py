"""/api/rulebook: the versions of the rulebook, the one in force on a day, the version file's
schema (any signed-in user), and an admin's new version or correction."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import today
from domain.rulebook.version import RulebookVersion
from services.api.params import Admin, CurrentUser, IdempotencyKey, RuntimeDep
from services.api.schemas.rulebook import VersionChange, VersionSummary
from services.application.rulebook_file import RulebookFile, document, schema, to_version

router = APIRouter(prefix="/api/rulebook", tags=["rulebook"])


def _summary(version: RulebookVersion) -> VersionSummary:
    return VersionSummary(
        code=version.code,
        title=version.title,
        effective_from=version.effective_from,
        effective_to=version.effective_to,
    )


def _file(version: RulebookVersion) -> RulebookFile:
    return RulebookFile.model_validate(document(version))


def change_key(user: str, idempotency_key: str | None, body: VersionChange) -> str:
    """The change's key: the caller's Idempotency-Key, else the content (sent twice, kept once)."""
    if idempotency_key:
        return f"api:{user}:{idempotency_key}"
    return "api:" + hashlib.sha256(body.model_dump_json().encode()).hexdigest()[:32]


@router.get(
    "/schema",
    summary="The JSON Schema of a rulebook version file",
    response_model=dict[str, Any],
)
async def get_schema(user: CurrentUser) -> dict[str, Any]:
    return schema()


@router.get(
    "/versions", summary="Every version, by effective date", response_model=list[VersionSummary]
)
async def list_versions(user: CurrentUser, runtime: RuntimeDep) -> list[VersionSummary]:
    found = await run_in_threadpool(runtime.rulebook.versions)
    return [_summary(v) for v in found]


@router.get("/versions/{code}", summary="One version, whole", response_model=RulebookFile)
async def get_version(code: str, user: CurrentUser, runtime: RuntimeDep) -> RulebookFile:
    return _file(await run_in_threadpool(runtime.rulebook.version, code))


@router.get("/in-force", summary="The version in force on a day", response_model=RulebookFile)
async def in_force(
    user: CurrentUser,
    runtime: RuntimeDep,
    on: Annotated[
        date | None, Query(description="the day (YYYY-MM-DD); unset: today in Vietnam")
    ] = None,
) -> RulebookFile:
    return _file(await run_in_threadpool(runtime.rulebook.in_force, on or today()))


@router.post(
    "/versions",
    status_code=201,
    summary="Add a version (admin)",
    description="422 names the field of a bad version; 409 when its days overlap another's.",
    response_model=VersionSummary,
    responses={200: {"model": VersionSummary, "description": "Added before with this key"}},
)
async def add_version(
    body: VersionChange,
    response: Response,
    user: Admin,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> VersionSummary:
    version = to_version(body.version)
    actor = Actor(user.username, Role.ADMIN)
    key = change_key(user.username, idempotency_key, body)
    added = await run_in_threadpool(runtime.rulebook.add, version, actor, body.reason, key)
    if not added:
        response.status_code = 200
    response.headers["Location"] = f"/api/rulebook/versions/{version.code}"
    return _summary(version)


@router.post(
    "/versions/{code}/corrections",
    summary="Correct a version (admin)",
    description="A version in force may only have its end moved to a day after today (409).",
    response_model=VersionSummary,
)
async def correct_version(
    code: str,
    body: VersionChange,
    user: Admin,
    runtime: RuntimeDep,
    idempotency_key: IdempotencyKey = None,
) -> VersionSummary:
    await run_in_threadpool(runtime.rulebook.version, code)  # 404 for an unknown code
    version = to_version(body.version)
    actor = Actor(user.username, Role.ADMIN)
    key = change_key(user.username, idempotency_key, body)
    await run_in_threadpool(runtime.rulebook.correct, version, actor, body.reason, key)
    return _summary(await run_in_threadpool(runtime.rulebook.version, version.code))
