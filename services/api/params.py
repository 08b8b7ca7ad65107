"""Annotated request parameters the routes share: the runtime, the caller (with the role a
route needs), the idempotency key."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from domain.kernel.actor import Role
from services.api.deps import current_user, get_runtime, require
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
# The caller, refused with 403 before anything is looked up unless they hold one of the roles.
Proposer = Annotated[User, Depends(require(Role.PROPOSER))]
ClusterMember = Annotated[User, Depends(require(Role.CLUSTER_MEMBER))]
CouncilSecretary = Annotated[User, Depends(require(Role.COUNCIL_SECRETARY))]
CouncilMember = Annotated[User, Depends(require(Role.COUNCIL_MEMBER))]
President = Annotated[User, Depends(require(Role.PRESIDENT))]
HoldKeeper = Annotated[User, Depends(require(Role.COUNCIL_SECRETARY, Role.ADMIN))]
Auditor = Annotated[User, Depends(require(Role.AUDITOR, Role.ADMIN))]
Admin = Annotated[User, Depends(require(Role.ADMIN))]
