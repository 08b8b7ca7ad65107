"""The signed-in session of the pages: a signed cookie, its CSRF token, role and language choice."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace

from fastapi import Request, Response

from services.application.directory import User
from services.application.tokens import TokenClaims, TokenError, issue_token, verify_token
from services.i18n.catalogue import DEFAULT, Language
from services.i18n.labels import Lang
from services.runtime import Runtime

SESSION_COOKIE = "awards_session"
ROLE_COOKIE = "awards_role"
LANGUAGE_COOKIE = "awards_lang"
# Before sign-in there is no session: the sign-in form is protected by a double-submit
# token (this cookie and a hidden field must match).
SIGN_IN_COOKIE = "awards_sign_in"
CSRF_FIELD = "csrf"
YEAR_SECONDS = 365 * 24 * 3600


class SignInNeeded(Exception):
    """No valid session: the person is sent to the sign-in page."""


class CsrfRefused(Exception):
    """A form came without this session's token: another site may have sent it."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a page: the person, the role they act in now, their language."""

    person: User  # every role the directory gives them
    role: str  # the one they act in now
    language: Language
    csrf: str
    claims: TokenClaims
    unit_name: str = ""

    @property
    def reads(self) -> Lang:
        """The language as the audit record's texts name it."""
        return "en" if self.language == Language.EN else "vi"

    @property
    def user(self) -> User:
        """The person narrowed to the role they act in: use cases see only that role."""
        return replace(self.person, roles=[self.role])


def csrf_token(secret: bytes, claims: TokenClaims) -> str:
    """Bound to this session: a token seen in one session is worthless in another."""
    material = f"csrf:{claims.token_id}".encode()
    return hmac.new(secret, material, hashlib.sha256).hexdigest()[:40]


def language_of(request: Request) -> Language:
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    return Language(chosen) if chosen in {lang.value for lang in Language} else DEFAULT


def viewer_of(request: Request, runtime: Runtime) -> Viewer:
    """The signed-in viewer, or SignInNeeded: a missing, forged, expired or revoked session
    (sign-out and password resets revoke it) all mean signing in again."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInNeeded
    try:
        claims = verify_token(token, runtime.secret)
    except TokenError:
        raise SignInNeeded from None
    if runtime.revocations.refusal(claims) is not None:
        raise SignInNeeded
    person = runtime.directory.user(claims.username)
    if person is None or not person.roles:
        raise SignInNeeded
    chosen = request.cookies.get(ROLE_COOKIE, "")
    role = chosen if chosen in person.roles else person.roles[0]
    unit = runtime.directory.unit(person.unit_id) if person.unit_id else None
    csrf = csrf_token(runtime.secret, claims)
    return Viewer(person, role, language_of(request), csrf, claims, unit.name if unit else "")


def secure(request: Request, runtime: Runtime) -> bool:
    """Cookies are Secure when the page was served over TLS (behind a proxy, uvicorn's
    --proxy-headers tells it so) or when AWARDS_SECURE_COOKIES says so."""
    forced = runtime.settings.secure_cookies
    return forced if forced is not None else request.url.scheme == "https"


def start_session(response: Response, request: Request, runtime: Runtime, username: str) -> None:
    hours = runtime.settings.token_ttl_hours
    token = issue_token(username, runtime.secret, hours)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(hours * 3600),
        httponly=True,
        samesite="lax",  # a link from an e-mail opens the page signed in; forms need the token
        secure=secure(request, runtime),
        path="/",
    )
    response.delete_cookie(SIGN_IN_COOKIE, path="/")


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(ROLE_COOKIE, path="/")


def remember(response: Response, request: Request, runtime: Runtime, name: str, value: str) -> None:
    """A choice kept in the browser (role, language): not secret, checked on every read."""
    response.set_cookie(
        name,
        value,
        max_age=YEAR_SECONDS,
        httponly=True,
        samesite="lax",
        secure=secure(request, runtime),
        path="/",
    )


def sign_in_token(request: Request) -> str:
    return request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(24)


def keep_sign_in_token(response: Response, request: Request, runtime: Runtime, token: str) -> None:
    response.set_cookie(
        SIGN_IN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=secure(request, runtime),
        path="/",
    )


def check_csrf(expected: str | None, given: object) -> None:
    if not expected or not isinstance(given, str) or not hmac.compare_digest(expected, given):
        raise CsrfRefused
