"""The administrator's accounts page: open an account, reset a password, unlock; each change
listed with who made it, when and why."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.actor import Role
from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from services.application.accounts import AccountChange, Accounts, AccountStatus
from services.application.directory import Unit, User
from services.runtime import Runtime
from services.web.deps import (
    AccountsDep,
    FieldError,
    PageError,
    RuntimeDep,
    ViewerDep,
    need,
    posted,
    text,
)
from services.web.rendering import page
from services.web.session import Viewer

router = APIRouter(prefix="/admin/accounts", include_in_schema=False)
ROLES = [role.value for role in Role if role != Role.SYSTEM]
DONE = {
    "opened": "The account is opened; give its first password to its owner.",
    "reset": "The password is reset; its owner chooses a new one at the next sign-in.",
    "unlocked": "The account is unlocked.",
}


@dataclass(frozen=True)
class Row:
    user: User
    status: AccountStatus | None


def _rows(runtime: Runtime, accounts: Accounts) -> list[Row]:
    return [Row(user, accounts.status(user.username)) for user in runtime.directory.users()]


def _units(runtime: Runtime) -> list[Unit]:
    """Every unit someone may belong to: the clusters' members, and the central units."""
    directory = runtime.directory
    found = {unit.id: unit for c in directory.clusters() for unit in directory.cluster_units(c.id)}
    for user in directory.users():
        if user.unit_id and user.unit_id not in found:
            unit = directory.unit(user.unit_id)
            if unit is not None:
                found[unit.id] = unit
    return sorted(found.values(), key=lambda unit: (unit.cluster_id or "", unit.name))


async def _list_page(
    request: Request,
    runtime: Runtime,
    accounts: Accounts,
    viewer: Viewer,
    error: Message | None = None,
    status_code: int = 200,
    notice: str | None = None,
) -> Response:
    rows = await run_in_threadpool(_rows, runtime, accounts)
    units = await run_in_threadpool(_units, runtime)
    return page(
        request,
        "accounts.html",
        viewer,
        viewer.language,
        status_code=status_code,
        rows=rows,
        roles=ROLES,
        units=units,
        error=error,
        notice=DONE.get(notice or ""),
    )


@router.get("")
async def list_accounts(
    request: Request,
    runtime: RuntimeDep,
    accounts: AccountsDep,
    viewer: ViewerDep,
    done: str | None = None,
) -> Response:
    need(viewer, "admin")
    return await _list_page(request, runtime, accounts, viewer, notice=done)


@router.post("")
async def open_account(
    request: Request, runtime: RuntimeDep, accounts: AccountsDep, viewer: ViewerDep
) -> Response:
    need(viewer, "admin")
    form = await posted(request, viewer)
    try:
        roles = [str(role) for role in form.getlist("roles") if str(role) in ROLES]
        if not roles:
            raise FieldError(Message("choose at least one role"))
        unit_id = text(form, "unit_id", limit=100) or None
        unit = await run_in_threadpool(runtime.directory.unit, unit_id) if unit_id else None
        if unit_id and unit is None:
            raise FieldError(Message("no unit {id}", id=unit_id))
        user = User(
            username=text(form, "username", required=True, limit=100),
            full_name=text(form, "full_name", required=True, limit=300),
            roles=roles,
            unit_id=unit.id if unit else None,
            cluster_id=unit.cluster_id if unit else None,
        )
        password = text(form, "password", required=True, limit=500)
        reason = text(form, "reason", required=True)
        await run_in_threadpool(accounts.open_account, user, password, viewer.user, reason)
    except (FieldError, DomainError) as refusal:
        return await _list_page(request, runtime, accounts, viewer, refusal.message, 422)
    return RedirectResponse("/admin/accounts?done=opened", status_code=303)


@router.get("/{username}")
async def account_page(
    request: Request, username: str, accounts: AccountsDep, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    need(viewer, "admin")
    person = await run_in_threadpool(runtime.directory.user, username)
    if person is None:
        raise PageError(404, Message("no account {username}", username=username))
    status = await run_in_threadpool(accounts.status, username)
    changes: list[AccountChange] = await run_in_threadpool(accounts.changes, username)
    return page(
        request,
        "account.html",
        viewer,
        viewer.language,
        person=person,
        status=status,
        changes=changes,
        error=None,
    )


@router.post("/{username}/reset")
async def reset(
    request: Request, username: str, runtime: RuntimeDep, accounts: AccountsDep, viewer: ViewerDep
) -> Response:
    need(viewer, "admin")
    form = await posted(request, viewer)
    try:
        password = text(form, "password", required=True, limit=500)
        reason = text(form, "reason", required=True)
        await run_in_threadpool(accounts.reset_password, username, password, viewer.user, reason)
    except (FieldError, DomainError) as refusal:
        return await _list_page(request, runtime, accounts, viewer, refusal.message, 422)
    # The person's sessions and tokens end with the old password.
    await run_in_threadpool(
        runtime.revocations.revoke_user, username, viewer.person.username, "password reset"
    )
    return RedirectResponse("/admin/accounts?done=reset", status_code=303)


@router.post("/{username}/unlock")
async def unlock(
    request: Request, username: str, runtime: RuntimeDep, accounts: AccountsDep, viewer: ViewerDep
) -> Response:
    need(viewer, "admin")
    form = await posted(request, viewer)
    try:
        reason = text(form, "reason", required=True)
        await run_in_threadpool(accounts.unlock, username, viewer.user, reason)
    except (FieldError, DomainError) as refusal:
        return await _list_page(request, runtime, accounts, viewer, refusal.message, 422)
    return RedirectResponse("/admin/accounts?done=unlocked", status_code=303)
