"""The Account aggregate: password changes say who and why, lock-outs end, replay is plain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from eventsourcing.application import Application

from domain.account.account import (
    Account,
    LockoutPolicy,
    PasswordChange,
    account_id,
    check_new_password,
)
from domain.kernel.actor import SYSTEM, Actor
from domain.kernel.errors import DomainError, InvalidInput

ADMIN = Actor("admin", "admin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_an_admin_reset_makes_the_owner_choose_a_new_password() -> None:
    account = Account.open("ha-tinh.proposer", ADMIN, "new official")
    account.set_password("$argon2id$first", PasswordChange.RESET, ADMIN, "new official")
    assert account.must_change_password
    account.set_password(
        "$argon2id$own", PasswordChange.CHANGED, Actor("ha-tinh.proposer", "proposer"), ""
    )
    assert not account.must_change_password


def test_a_lock_out_ends_at_its_time_or_when_unlocked() -> None:
    account = Account.open("x", SYSTEM, "demo data")
    until = LockoutPolicy(max_failures=5, lock_minutes=15).lock_until(NOW)
    account.lock_out(until, 5, SYSTEM, "repeated failed sign-ins")
    assert account.locked_at(NOW) == until
    assert account.locked_at(NOW + timedelta(minutes=16)) is None
    account.unlock(ADMIN, "verified by phone")
    assert account.locked_at(NOW) is None
    with pytest.raises(DomainError):
        account.unlock(ADMIN, "again")


def test_every_change_is_an_event_naming_who_and_why_and_replays_the_same() -> None:
    app = Application[object]()
    account = Account.open("x", SYSTEM, "demo data")
    account.set_password("h1", PasswordChange.INITIAL, SYSTEM, "demo data")
    account.lock_out(NOW + timedelta(minutes=15), 5, SYSTEM, "repeated failed sign-ins")
    account.set_password("h2", PasswordChange.RESET, ADMIN, "forgot it")
    app.save(account)
    events = list(app.events.get(account_id("x")))
    assert [type(e).__name__ for e in events] == [
        "Opened",
        "PasswordSet",
        "LockedOut",
        "PasswordSet",
    ]
    assert [(e.actor_id, e.reason) for e in events][-1] == ("admin", "forgot it")
    again: Account = app.repository.get(account_id("x"))
    assert (again.password_hash, again.must_change_password, again.locked_until) == (
        "h2",
        True,
        None,
    )


@pytest.mark.parametrize("password", ["short", "ha-tinh.proposer", "x" * 201])
def test_a_weak_password_is_refused(password: str) -> None:
    with pytest.raises(InvalidInput):
        check_new_password(password, "ha-tinh.proposer")
