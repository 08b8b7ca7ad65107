"""Accounts as use cases: sign in, change and reset passwords, lock-outs, and opening accounts.

The Account aggregates live in the proposals' event store, so every change to an account is
chained, sealed and verified with the rest of the log. Failed sign-ins are counted in a plain
table instead: they are made by whoever types a username, and an immutable log must not grow
at a stranger's pace. Neither a password nor a sign-in attempt is ever logged."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import IntegrityError

from domain.account.account import (
    Account,
    AccountLocked,
    LockoutPolicy,
    PasswordChange,
    account_id,
    check_new_password,
)
from domain.kernel.actor import SYSTEM, Actor, Role
from domain.kernel.errors import DomainError, InvalidInput
from domain.kernel.message import Message
from infra.postgres import SCHEMA_LOCK, Pool
from services.application.directory import Directory, User
from services.i18n.labels import VIETNAM

SCHEMA = """
CREATE TABLE IF NOT EXISTS awards_sign_in_failures (
    username text PRIMARY KEY,
    failures integer NOT NULL,
    last_failed_at timestamptz NOT NULL
);
"""
# OWASP's first argon2id profile (19 MiB, 2 passes, 1 lane): ~70 ms here on a loaded core,
# so a demo start hashes every seeded account in seconds. The parameters live in each hash:
# raising them later only needs new hashes, never a migration.
HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# Verified when the username is unknown, so a refusal takes as long either way.
_UNKNOWN = HASHER.hash("no account has this password")


class SignInRefused(DomainError):
    """Wrong username or password; which of the two is never said."""

    code = "unauthenticated"


@dataclass(frozen=True)
class SignedIn:
    user: User
    must_change_password: bool


@dataclass(frozen=True)
class AccountChange:
    """One recorded change to an account, as the admin's page lists it."""

    sequence: int
    what: str  # the event's name: Opened, PasswordSet, LockedOut, Unlocked
    change: str  # for a password: initial, changed or reset
    actor: str
    role: str
    time: datetime
    reason: str


@dataclass(frozen=True)
class AccountStatus:
    username: str
    has_password: bool
    locked_until: datetime | None
    must_change_password: bool


class Accounts:
    def __init__(
        self,
        app: Application[Any],
        pool: Pool,
        directory: Directory,
        policy: LockoutPolicy | None = None,
    ) -> None:
        self._app = app
        self._pool = pool
        self._directory = directory
        self._policy = policy or LockoutPolicy()

    def ensure_schema(self) -> None:
        # The start-up schema lock: processes starting together must not race in CREATE.
        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
            try:
                conn.execute(SCHEMA)
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))

    # ---- reading -------------------------------------------------------------------------

    def _account(self, username: str) -> Account | None:
        try:
            account: Account = self._app.repository.get(account_id(username))
        except AggregateNotFoundError:
            return None
        return account if isinstance(account, Account) else None

    def status(self, username: str, now: datetime | None = None) -> AccountStatus | None:
        account = self._account(username)
        if account is None:
            return None
        return AccountStatus(
            username=username,
            has_password=account.has_password,
            locked_until=account.locked_at(now or datetime.now(UTC)),
            must_change_password=account.must_change_password,
        )

    def changes(self, username: str) -> list[AccountChange]:
        """Every recorded change to the account, newest first."""
        events = [
            e for e in self._app.events.get(account_id(username)) if isinstance(e, DomainEvent)
        ]
        return [_change(event) for event in reversed(events)]

    # ---- signing in ----------------------------------------------------------------------

    def sign_in(self, username: str, password: str, now: datetime | None = None) -> SignedIn:
        """The person behind a username and password, or SignInRefused / AccountLocked."""
        moment = now or datetime.now(UTC)
        user = self._directory.user(username)
        account = self._account(username) if user else None
        if user is None or account is None or not account.has_password:
            _verify(_UNKNOWN, password)
            raise SignInRefused(Message("wrong username or password"))
        locked = account.locked_at(moment)
        if locked is not None:
            raise _locked(locked)
        if not _verify(account.password_hash, password):
            self._count_failure(account, moment)
            raise SignInRefused(Message("wrong username or password"))
        self._forget_failures(username)
        return SignedIn(user, account.must_change_password)

    def _count_failure(self, account: Account, moment: datetime) -> None:
        with self._pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO awards_sign_in_failures AS f (username, failures, last_failed_at)"
                " VALUES (%s, 1, %s) ON CONFLICT (username) DO UPDATE"
                " SET failures = f.failures + 1, last_failed_at = excluded.last_failed_at"
                " RETURNING failures",
                (account.username, moment),
            ).fetchone()
        failures = int(row["failures"]) if row else 1
        if failures < self._policy.max_failures:
            return
        until = self._policy.lock_until(moment)
        account.lock_out(until, failures, SYSTEM, "repeated failed sign-ins")
        with contextlib.suppress(IntegrityError):  # a concurrent failure locked it first
            self._app.save(account)
        self._forget_failures(account.username)
        raise _locked(until)

    def _forget_failures(self, username: str) -> None:
        with self._pool.connection() as conn:
            conn.execute("DELETE FROM awards_sign_in_failures WHERE username = %s", (username,))

    # ---- changing ------------------------------------------------------------------------

    def change_password(self, username: str, old: str, new: str) -> None:
        """The person's own change: they prove the old password first."""
        account = self._account(username)
        if account is None or not _verify(account.password_hash, old):
            raise SignInRefused(Message("the current password is not right"))
        check_new_password(new, username)
        if _verify(account.password_hash, new):
            raise InvalidInput("the new password must differ from the current one")
        actor = Actor(username, _own_role(self._directory.user(username)))
        new_hash = HASHER.hash(new)
        account.set_password(new_hash, PasswordChange.CHANGED, actor, "changed by its owner")
        self._app.save(account)

    def reset_password(self, username: str, new: str, admin: User, reason: str) -> None:
        """An admin's reset: the person chooses a new password at their next sign-in."""
        account = self._existing(username)
        check_new_password(new, username)
        account.set_password(HASHER.hash(new), PasswordChange.RESET, _admin(admin), reason)
        self._app.save(account)
        self._forget_failures(username)

    def unlock(self, username: str, admin: User, reason: str) -> None:
        account = self._existing(username)
        account.unlock(_admin(admin), reason)
        self._app.save(account)
        self._forget_failures(username)

    def open_account(self, user: User, password: str, admin: User, reason: str) -> None:
        """A new person in the organisation year in force (unit, roles) with a first password
        that they must change at their first sign-in."""
        if self._directory.user(user.username) is not None or self._account(user.username):
            raise InvalidInput("the username {username} is taken", username=user.username)
        check_new_password(password, user.username)
        actor = _admin(admin)
        self._directory.add_user(user, actor, reason, f"account:{user.username}")
        account = Account.open(user.username, actor, reason)
        account.set_password(HASHER.hash(password), PasswordChange.RESET, actor, reason)
        self._app.save(account)

    def ensure_account(self, username: str, password: str, reason: str) -> bool:
        """Open the account of a directory user with this password unless it exists (the demo
        seed); answers whether it was opened."""
        if self._account(username) is not None:
            return False
        account = Account.open(username, SYSTEM, reason)
        account.set_password(HASHER.hash(password), PasswordChange.INITIAL, SYSTEM, reason)
        try:
            self._app.save(account)
        except IntegrityError:
            return False  # another process seeded it at the same moment
        return True

    def _existing(self, username: str) -> Account:
        account = self._account(username)
        if account is None:
            raise InvalidInput("no account {username}", username=username)
        return account


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _locked(until: datetime) -> AccountLocked:
    return AccountLocked(
        Message(
            "this account is locked after repeated failed sign-ins until {time} (Vietnam time);"
            " try again then, or ask an administrator to unlock it",
            time=until.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y"),
        )
    )


def _admin(user: User) -> Actor:
    if not user.has(Role.ADMIN):
        raise DomainError("only an administrator may change another person's account")
    return Actor(user.username, Role.ADMIN)


def _own_role(user: User | None) -> str:
    return user.roles[0] if user and user.roles else Role.SYSTEM


def _change(event: DomainEvent) -> AccountChange:
    return AccountChange(
        sequence=event.originator_version,
        what=type(event).__name__,
        change=str(getattr(event, "change", "")),
        actor=str(getattr(event, "actor_id", "")),
        role=str(getattr(event, "actor_role", "")),
        time=event.timestamp,
        reason=str(getattr(event, "reason", "")),
    )
