"""Delegations as use cases: a holder names a deputy, revokes it; every delegated act asks
``check_delegated`` whether the deputy may take it on that day."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.decision.delegation import (
    REGISTER_ID,
    Act,
    Delegation,
    DelegationRegister,
    Office,
    act_of,
    authority,
    office_of,
)
from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import today
from domain.kernel.errors import DomainError
from services.application.directory import User
from services.application.proposals import AwardsApplication

if TYPE_CHECKING:
    from services.runtime import Runtime

_RETRIES = 5


@dataclass(frozen=True)
class Grant:
    """What a holder asks for: a deputy, a period, the acts and the signing form."""

    office: str
    deputy: str
    starts_on: date
    ends_on: date
    acts: tuple[str, ...]
    signing_form: str  # KT, Q, TL or TUQ
    reason: str = ""


class Delegations:
    """The body's delegations, in one aggregate of the event store."""

    def __init__(self, app: AwardsApplication) -> None:
        self._app = app

    def _register(self) -> DelegationRegister:
        try:
            register: DelegationRegister = self._app.repository.get(REGISTER_ID)
        except AggregateNotFoundError:
            return DelegationRegister.open()
        return register

    def all(self) -> list[Delegation]:
        return list(self._register().delegations)

    def one(self, delegation_id: str) -> Delegation:
        return self._register().find(delegation_id)

    def _change(self, key: str, act: Callable[[DelegationRegister], None]) -> None:
        for _ in range(_RETRIES):
            register = self._register()
            if register.has_step(key):
                return
            act(register)
            try:
                self._app.save(register)
            except IntegrityError:
                continue  # another grant or revocation came first: read it and try again
            return
        raise DomainError("the delegations are changing too fast; try again")

    def grant(self, holder: User, grant: Grant, key: str) -> str:
        """Record a delegation; its id follows from the holder and the key, so a repeat
        with the same key records nothing more and answers the same id."""
        delegation_id = str(uuid5(NAMESPACE_URL, f"urn:awards:delegation:{holder.username}:{key}"))
        actor = Actor(holder.username, _role(holder))
        acts = [act_of(a) for a in grant.acts]
        period = (grant.starts_on, grant.ends_on)

        def record(register: DelegationRegister) -> None:
            register.grant(
                delegation_id,
                office_of(grant.office),
                holder.username,
                grant.deputy,
                period,
                acts,
                grant.signing_form,
                grant.reason,
                actor,
                key,
            )

        self._change(key, record)
        return delegation_id

    def revoke(self, user: User, delegation_id: str, reason: str, key: str) -> Delegation:
        held = self.one(delegation_id)
        if user.username != held.holder and not user.has("admin"):
            raise DomainError(
                "only {holder}, who granted delegation {id}, may revoke it",
                holder=held.holder,
                id=delegation_id,
            )
        actor = Actor(user.username, _role(user))

        def record(register: DelegationRegister) -> None:
            register.revoke(delegation_id, today(), reason, actor, key)

        self._change(key, record)
        return self.one(delegation_id)


def _role(user: User) -> Role:
    for role in (Role.PRESIDENT, Role.COUNCIL_SECRETARY, Role.ADMIN):
        if user.has(role):
            return role
    return Role.COUNCIL_MEMBER


def offices_of(runtime: Runtime, user: User, year: int) -> set[Office]:
    """The offices ``user`` holds in ``year``: the President by role, the council's chair and
    standing member by the organisation year in force."""
    held = {Office.PRESIDENT} if user.has("president") else set()
    org = runtime.organisation.in_force(year)
    if org is not None and org.council.chair == user.username:
        held.add(Office.COUNCIL_CHAIR)
    standing = org is not None and org.council.standing_member == user.username
    if standing or user.has("council_secretary"):
        held.add(Office.STANDING_MEMBER)
    return held


def grant(runtime: Runtime, user: User, asked: Grant, key: str | None) -> Delegation:
    """A holder names a deputy: only for an office the holder holds when the period starts."""
    check_holder(runtime, user, asked.office, asked.starts_on.year)
    delegation_id = runtime.delegations.grant(user, asked, key or str(uuid4()))
    return runtime.delegations.one(delegation_id)


def revoke(
    runtime: Runtime, user: User, delegation_id: str, reason: str, key: str | None
) -> Delegation:
    return runtime.delegations.revoke(user, delegation_id, reason, key or str(uuid4()))


def check_holder(runtime: Runtime, user: User, office: str, year: int) -> None:
    if office_of(office) not in offices_of(runtime, user, year):
        raise DomainError(
            "{username} does not hold the office {office} and cannot delegate its acts",
            username=user.username,
            office=office,
        )


def check_delegated(
    runtime: Runtime, actor: Actor | str, act: Act | str, on_day: date
) -> Delegation:
    """The delegation under which ``actor`` (a deputy) may take ``act`` on ``on_day``;
    DelegationRefused otherwise, naming the delegation and why (period, scope, revoked)."""
    username = actor if isinstance(actor, str) else actor.id
    return authority(runtime.delegations.all(), username, act_of(str(act)), on_day)
