"""Signing in and out, changing one's own password, and the role and language one works in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.account.account import AccountLocked
from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from services.api.text import forbidden_character
from services.application.accounts import SignInRefused
from services.i18n.catalogue import Language
from services.web.deps import AccountsDep, FieldError, RuntimeDep, ViewerDep, posted, text
from services.web.rendering import page
from services.web.session import (
    CSRF_FIELD,
    LANGUAGE_COOKIE,
    ROLE_COOKIE,
    SIGN_IN_COOKIE,
    SignInNeeded,
    check_csrf,
    end_session,
    keep_sign_in_token,
    language_of,
    remember,
    sign_in_token,
    start_session,
    viewer_of,
)

router = APIRouter(include_in_schema=False)


def _next(target: str | None) -> str:
    """Only a path of this site: an address elsewhere would make the page a redirector."""
    if not target:
        return "/inbox"
    local = target.startswith("/") and not target.startswith("//")
    if local and "\\" not in target and forbidden_character(target, parameter=True) is None:
        return target
    return "/inbox"


def _sign_in_page(
    request: Request,
    runtime: RuntimeDep,
    target: str,
    error: Message | None = None,
    status_code: int = 200,
    username: str = "",
) -> HTMLResponse:
    token = sign_in_token(request)
    response = page(
        request,
        "signin.html",
        None,
        language_of(request),
        status_code=status_code,
        token=token,
        target=target,
        error=error,
        username=username,
    )
    keep_sign_in_token(response, request, runtime, token)
    return response


@router.get("/signin")
async def sign_in_form(request: Request, runtime: RuntimeDep, next: str | None = None) -> Response:
    return _sign_in_page(request, runtime, _next(next))


@router.post("/signin")
async def sign_in(request: Request, runtime: RuntimeDep, accounts: AccountsDep) -> Response:
    form = await request.form()
    check_csrf(request.cookies.get(SIGN_IN_COOKIE), form.get(CSRF_FIELD))
    target = _next(str(form.get("next") or ""))
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    try:
        signed = await run_in_threadpool(accounts.sign_in, username, password)
    except AccountLocked as locked:
        return _sign_in_page(request, runtime, target, locked.message, 423, username)
    except SignInRefused as refused:
        return _sign_in_page(request, runtime, target, refused.message, 401, username)
    destination = "/password?first=1" if signed.must_change_password else target
    response = RedirectResponse(destination, status_code=303)
    start_session(response, request, runtime, signed.user.username)
    return response


@router.post("/signout")
async def sign_out(request: Request, runtime: RuntimeDep, viewer: ViewerDep) -> Response:
    await posted(request, viewer)
    await run_in_threadpool(
        runtime.revocations.revoke_token, viewer.claims, viewer.person.username, "signed out"
    )
    response = RedirectResponse("/signin", status_code=303)
    end_session(response)
    return response


@router.get("/password")
async def password_form(request: Request, viewer: ViewerDep, first: int = 0) -> Response:
    return page(request, "password.html", viewer, viewer.language, first=bool(first), error=None)


@router.post("/password")
async def change_password(
    request: Request, runtime: RuntimeDep, accounts: AccountsDep, viewer: ViewerDep
) -> Response:
    form = await posted(request, viewer)
    username = viewer.person.username
    try:
        new = text(form, "new", required=True, limit=500)
        if new != text(form, "repeat", limit=500):
            raise FieldError(Message("the two new passwords differ"))
        old = str(form.get("current") or "")
        await run_in_threadpool(accounts.change_password, username, old, new)
    except (FieldError, DomainError) as refusal:
        return page(
            request,
            "password.html",
            viewer,
            viewer.language,
            422,
            first=False,
            error=refusal.message,
        )
    # Every other session and token of the person ends with the old password.
    await run_in_threadpool(runtime.revocations.revoke_user, username, username, "password changed")
    response = RedirectResponse("/inbox?done=password", status_code=303)
    start_session(response, request, runtime, username)
    return response


@router.post("/role")
async def choose_role(request: Request, runtime: RuntimeDep, viewer: ViewerDep) -> Response:
    form = await posted(request, viewer)
    role = str(form.get("role") or "")
    response = RedirectResponse("/inbox", status_code=303)
    if role in viewer.person.roles:
        remember(response, request, runtime, ROLE_COOKIE, role)
    return response


@router.post("/language")
async def choose_language(request: Request, runtime: RuntimeDep) -> Response:
    form = await request.form()
    try:
        viewer = await run_in_threadpool(viewer_of, request, runtime)
        expected = viewer.csrf
    except SignInNeeded:
        expected = request.cookies.get(SIGN_IN_COOKIE) or ""
    check_csrf(expected, form.get(CSRF_FIELD))
    chosen = str(form.get("language") or "")
    response = RedirectResponse(_next(str(form.get("next") or "")), status_code=303)
    if chosen in {language.value for language in Language}:
        remember(response, request, runtime, LANGUAGE_COOKIE, chosen)
    return response
