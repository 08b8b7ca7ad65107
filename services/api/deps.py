"""Request dependencies: the runtime, and who is calling (bearer token, not revoked → user)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from domain.kernel.message import Message
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
        raise Problem(401, "unauthenticated", Message("a bearer token is required"))
    try:
        claims = verify_token(credentials.credentials, runtime.secret)
    except TokenError as error:
        raise Problem(401, "unauthenticated", error.message) from None
    # Asked of the database on every request, so a revocation holds at once in every process.
    revoked = runtime.revocations.refusal(claims)
    if revoked is not None:
        raise Problem(401, "token-revoked", revoked.message)
    user = runtime.directory.user(claims.username)
    if user is None:
        unknown = Message("user {username} is unknown or disabled", username=claims.username)
        raise Problem(401, "unauthenticated", unknown)
    return user


def require(*roles: str) -> Callable[[User], User]:
    def check(user: User = Depends(current_user)) -> User:
        if not user.has(*roles):
            needed = _alternatives([Message.term("role", role) for role in roles])
            message = (
                Message(
                    "this step needs the role {roles}; {username} has {held}",
                    roles=needed,
                    username=user.username,
                    held=Message.joined((Message.term("role", r) for r in user.roles), ", "),
                )
                if user.roles
                else Message(
                    "this step needs the role {roles}; {username} has none",
                    roles=needed,
                    username=user.username,
                )
            )
            raise Problem(403, "forbidden", message)
        return user

    return check


def _alternatives(choices: list[Message]) -> Message:
    """ "a", "a or b", "a, b or c"."""
    if len(choices) == 1:
        return choices[0]
    return Message("{items} or {last}", items=Message.joined(choices[:-1], ", "), last=choices[-1])
