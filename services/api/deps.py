"""Request dependencies: the runtime, and who is calling (bearer token, not revoked → user)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.api.problems import Problem
from services.application.directory import User
from services.application.tokens import TokenError, verify_token
from services.runtime import Runtime

_bearer = HTTPBearer(auto_error=False, description="A token from `awards token issue USERNAME`")


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def current_user(
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    runtime: Runtime = Depends(get_runtime),
) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(401, "unauthenticated", "a bearer token is required")
    try:
        claims = verify_token(credentials.credentials, runtime.secret)
    except TokenError as error:
        raise Problem(401, "unauthenticated", str(error)) from None
    # Asked of the database on every request, so a revocation holds at once in every process.
    revoked = runtime.revocations.refusal(claims)
    if revoked is not None:
        raise Problem(401, "token-revoked", revoked.message())
    user = runtime.directory.user(claims.username)
    if user is None:
        raise Problem(401, "unauthenticated", f"user {claims.username} is unknown or disabled")
    return user


def require(*roles: str) -> Callable[[User], User]:
    def check(user: User = Depends(current_user)) -> User:
        if not user.has(*roles):
            raise Problem(
                403,
                "forbidden",
                f"this step needs the role {' or '.join(roles)};"
                f" {user.username} has {', '.join(user.roles) or 'none'}",
            )
        return user

    return check
