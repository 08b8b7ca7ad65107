"""Delegation: a deputy acts inside the period and scope a holder gave, and is refused outside
them with the delegation named and the reason."""

from __future__ import annotations

from datetime import date

import pytest

from domain.decision.delegation import (
    Act,
    DelegationRefused,
    DelegationRegister,
    Office,
    authority,
)
from domain.kernel.actor import Actor, Role
from domain.kernel.errors import DomainError, InvalidInput

PRESIDENT = Actor("president", Role.PRESIDENT)
JANUARY = (date(2026, 1, 1), date(2026, 1, 31))


def register_with_one(acts: tuple[Act, ...] = (Act.SIGN_DECISION,)) -> DelegationRegister:
    register = DelegationRegister.open()
    register.grant(
        "d-1",
        Office.PRESIDENT,
        "president",
        "council.1",
        JANUARY,
        acts,
        "KT",
        "đi công tác",
        PRESIDENT,
        "k1",
    )
    return register


def test_a_deputy_acts_inside_the_period_and_scope() -> None:
    found = authority(
        register_with_one().delegations, "council.1", Act.SIGN_DECISION, date(2026, 1, 5)
    )
    assert (found.id, found.holder, found.form.value) == ("d-1", "president", "KT")


def test_rule_deputy_refused_outside_the_period() -> None:
    with pytest.raises(DelegationRefused) as refused:
        authority(register_with_one().delegations, "council.1", Act.SIGN_DECISION, date(2026, 2, 1))
    assert "delegation d-1 from president to council.1 runs from 2026-01-01 to 2026-01-31" in str(
        refused.value
    )


def test_rule_deputy_refused_outside_the_scope() -> None:
    register = register_with_one()
    with pytest.raises(DelegationRefused, match="covers sign_decision, not chair_session"):
        authority(register.delegations, "council.1", Act.CHAIR_SESSION, date(2026, 1, 5))


def test_rule_deputy_refused_without_any_delegation() -> None:
    with pytest.raises(DelegationRefused, match=r"council\.2 holds no delegation"):
        authority(register_with_one().delegations, "council.2", Act.SIGN_DECISION, date(2026, 1, 5))


def test_rule_deputy_refused_after_revocation() -> None:
    register = register_with_one()
    register.revoke("d-1", date(2026, 1, 10), "trở về", PRESIDENT, "k2")
    authority(register.delegations, "council.1", Act.SIGN_DECISION, date(2026, 1, 9))
    with pytest.raises(DelegationRefused, match="was revoked on 2026-01-10"):
        authority(register.delegations, "council.1", Act.SIGN_DECISION, date(2026, 1, 10))
    with pytest.raises(DomainError, match="was revoked"):
        register.revoke("d-1", date(2026, 1, 11), "lại", PRESIDENT, "k3")


def test_rule_a_holder_delegates_only_the_acts_of_their_office() -> None:
    with pytest.raises(InvalidInput, match="cannot delegate convene_session"):
        register_with_one((Act.CONVENE_SESSION,))


@pytest.mark.parametrize(
    ("period", "form", "message"),
    [
        ((date(2026, 2, 1), date(2026, 1, 1)), "KT", "before it starts"),
        (JANUARY, "TM", "grants signing KT, Q, TL or TUQ"),
        ((date(2026, 1, 1), date(2036, 1, 1)), "KT", "limited in time"),
    ],
)
def test_a_delegation_needs_a_period_and_a_deputy_signing_form(
    period: tuple[date, date], form: str, message: str
) -> None:
    register = DelegationRegister.open()
    with pytest.raises(InvalidInput, match=message):
        register.grant(
            "d",
            Office.PRESIDENT,
            "president",
            "council.1",
            period,
            (Act.SIGN_DECISION,),
            form,
            "",
            PRESIDENT,
            "k",
        )
