"""The Account aggregate: a person's sign-in, its password hash, lock-outs, and who changed what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError, InvalidInput

MIN_PASSWORD_LENGTH = 10  # NIST SP 800-63B asks for at least 8; officials share offices
MAX_PASSWORD_LENGTH = 200


class PasswordChange(StrEnum):
    """Why a password was set: it decides whether the person must choose a new one."""

    INITIAL = "initial"  # set when the account was opened (a demo or an admin's first one)
    CHANGED = "changed"  # by the person, who knew the old one
    RESET = "reset"  # by an admin: the person must change it at the next sign-in


@dataclass(frozen=True)
class LockoutPolicy:
    """How many failed sign-ins in a row lock an account, and for how long."""

    max_failures: int = 5
    lock_minutes: int = 15

    def lock_until(self, now: datetime) -> datetime:
        return now + timedelta(minutes=self.lock_minutes)


def account_id(username: str) -> UUID:
    """One account per username, found without an index."""
    return uuid5(NAMESPACE_URL, f"urn:awards:account:{username}")


def check_new_password(password: str, username: str) -> None:
    """The rules a new password meets (length, not the username); the hash is made elsewhere."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "a password needs at least {count} characters", count=MIN_PASSWORD_LENGTH
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            "a password may hold at most {count} characters", count=MAX_PASSWORD_LENGTH
        )
    if password.strip().lower() == username.lower():
        raise InvalidInput("a password must not be the username")


class AccountLocked(DomainError):
    """Too many failed sign-ins: the account refuses sign-in until the time it names."""

    code = "account-locked"


class Account(Aggregate):
    """Every event names who made the change, in which role, and why: an admin's reset is
    told apart from the person's own change, and a lock-out from an unlock."""

    class Opened(Aggregate.Created):
        username: str
        actor_id: str
        actor_role: str
        reason: str

    class PasswordSet(Aggregate.Event):
        password_hash: str
        change: str
        actor_id: str
        actor_role: str
        reason: str

    class LockedOut(Aggregate.Event):
        until: str  # ISO 8601 with its zone
        failures: int
        actor_id: str
        actor_role: str
        reason: str

    class Unlocked(Aggregate.Event):
        actor_id: str
        actor_role: str
        reason: str

    @event(Opened)
    def __init__(
        self, *, id: UUID, username: str, actor_id: str, actor_role: str, reason: str
    ) -> None:
        self.username = username
        self.password_hash = ""
        self.must_change_password = False
        self.locked_until: str | None = None

    @classmethod
    def open(cls, username: str, actor: Actor, reason: str) -> Account:
        return cls(
            id=account_id(username),
            username=username,
            actor_id=actor.id,
            actor_role=actor.role,
            reason=reason,
        )

    # ---- commands: check, then record ---------------------------------------------------

    def set_password(
        self, password_hash: str, change: PasswordChange, actor: Actor, reason: str
    ) -> None:
        if not password_hash:
            raise InvalidInput("a password hash is required")
        self._password_set(password_hash, change.value, actor.id, actor.role, reason)

    def lock_out(self, until: datetime, failures: int, actor: Actor, reason: str) -> None:
        if until.tzinfo is None:
            raise InvalidInput("a lock-out ends at a moment with its time zone")
        self._locked_out(until.isoformat(), failures, actor.id, actor.role, reason)

    def unlock(self, actor: Actor, reason: str) -> None:
        if self.locked_until is None:
            raise DomainError("the account of {username} is not locked", username=self.username)
        self._unlocked(actor.id, actor.role, reason)

    # ---- queries -------------------------------------------------------------------------

    def locked_at(self, now: datetime) -> datetime | None:
        """The end of the lock-out in force at ``now``, or None when sign-in is open."""
        if self.locked_until is None:
            return None
        until = datetime.fromisoformat(self.locked_until)
        return until if until > now else None

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    # ---- events: only the change of state, so a replay never re-checks -------------------

    @event(PasswordSet)
    def _password_set(
        self, password_hash: str, change: str, actor_id: str, actor_role: str, reason: str
    ) -> None:
        self.password_hash = password_hash
        self.must_change_password = change == PasswordChange.RESET
        self.locked_until = None  # a new password ends a lock-out

    @event(LockedOut)
    def _locked_out(
        self, until: str, failures: int, actor_id: str, actor_role: str, reason: str
    ) -> None:
        self.locked_until = until

    @event(Unlocked)
    def _unlocked(self, actor_id: str, actor_role: str, reason: str) -> None:
        self.locked_until = None
