"""Annotated request parameters the routes share: the runtime, the caller, the idempotency key."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from services.api.deps import current_user, get_runtime
from services.application.directory import User
from services.runtime import Runtime

RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
CurrentUser = Annotated[User, Depends(current_user)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=200,
        description="Repeat a step safely: a request repeated with the same key is applied"
        " once and answers what the first one answered",
    ),
]
