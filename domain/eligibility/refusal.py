"""What a refused nomination is told: the rule, the rulebook version and the facts found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.kernel.errors import DomainError
from domain.kernel.message import Message


@dataclass(frozen=True)
class Refusal:
    """One rule's refusal. ``facts`` are the records the rule found, as plain data ("held
    vusta_flag 2023 (imported, 12/QĐ-LHHVN)"); ``message`` says why in words, translatable."""

    rule: str
    version: str
    facts: tuple[str, ...]
    message: Message

    def to_json(self) -> dict[str, object]:
        return {"rule": self.rule, "version": self.version, "facts": list(self.facts)}


class NotEligible(DomainError):
    """A nomination failed one or more eligibility rules; every refusal is listed."""

    code = "not-eligible"

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        self.refusals = tuple(refusals)
        super().__init__(
            "the nominee is not eligible: {reasons}",
            reasons=Message.joined(refusal.message for refusal in self.refusals),
        )
