"""Errors the domain raises when a rule or a transition is broken, with translatable messages."""

from __future__ import annotations

from domain.kernel.message import Message


class DomainError(Exception):
    """A rule of the domain refused the request; the message says which and why.

    ``DomainError("no proposal {id}", id=...)``: the English template (the catalogue's msgid)
    and its parameters are kept, so the API can answer in the reader's language; ``str()`` is
    the English text. A plain English sentence without parameters works as before."""

    code = "domain-rule"

    def __init__(self, template: str | Message, /, **params: object) -> None:
        if isinstance(template, Message):
            self.message = Message(template.template, **{**template.params, **params})
            self.message.context = template.context
        else:
            self.message = Message(template, **params)
        super().__init__(self.message.render())

    @property
    def template(self) -> str:
        return self.message.template

    @property
    def params(self) -> dict[str, str | int | float | Message]:
        return self.message.params


class IllegalTransition(DomainError):
    """A step was attempted in a state that does not allow it."""

    code = "illegal-transition"

    def __init__(self, state: str, step: str | Message, hint: str | Message = "") -> None:
        self.state = state
        self.step = step
        # The step ("submit", "vote in the cluster vote on") and the hint are msgids of their
        # own; the state is looked up in the catalogue's "state" context (its official name).
        name = Message.term("state", str(state))
        if hint:
            message = Message(
                "cannot {step} a proposal in state {state}: {hint}",
                step=Message.of(step),
                state=name,
                hint=Message.of(hint),
            )
        else:
            message = Message(
                "cannot {step} a proposal in state {state}", step=Message.of(step), state=name
            )
        super().__init__(message)


class BallotError(DomainError):
    """A ballot was refused: not in the electorate, voted already, or a conflict of interest."""

    code = "ballot-refused"


class InvalidInput(DomainError):
    """A value does not have the form the domain requires (a decision number, a nominee, ...)."""

    code = "invalid-input"
