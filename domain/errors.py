"""Errors the domain raises when a rule or a transition is broken."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request; the message says which and why."""

    code = "domain-rule"


class IllegalTransition(DomainError):
    """A step was attempted in a state that does not allow it."""

    code = "illegal-transition"

    def __init__(self, state: str, step: str, hint: str = "") -> None:
        self.state = state
        self.step = step
        message = f"cannot {step} a proposal in state {state}"
        super().__init__(f"{message}: {hint}" if hint else message)


class BallotError(DomainError):
    """A ballot was refused: not in the electorate, voted already, or a conflict of interest."""

    code = "ballot-refused"


class InvalidInput(DomainError):
    """A value does not have the form the domain requires (a decision number, a nominee, ...)."""

    code = "invalid-input"
