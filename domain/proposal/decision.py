"""Decisions: numbers in the Decree 30/2020 form (``17/QĐ-LHHVN``), unique per issuer and year."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.kernel.errors import InvalidInput
from domain.proposal.states import DecisionOutcome

_PATTERN = re.compile(
    r"^(?P<number>[0-9]+)/(?P<kind>[A-ZĐ]+)-(?P<issuer>[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)$"
)


@dataclass(frozen=True)
class DecisionNumber:
    number: int
    kind: str
    issuer: str

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.kind}-{self.issuer}"

    def key(self, year: int) -> str:
        """What must be unique: the series restarts every year for each issuer and kind."""
        return f"{self.issuer}/{self.kind}/{year}/{self.number}"


def parse_decision_number(text: str) -> DecisionNumber:
    match = _PATTERN.match(text.strip())
    if match is None:
        raise InvalidInput(
            "decision number {text!r} is not of the form NN/QĐ-ISSUER, e.g. 17/QĐ-LHHVN", text=text
        )
    digits = match["number"]
    number = int(digits)
    if number < 1:
        raise InvalidInput("decision number {text!r} must start at 01", text=text)
    if (number < 10 and len(digits) != 2) or (number >= 10 and digits.startswith("0")):
        raise InvalidInput(
            "decision number {text!r}: numbers below 10 take one leading zero and others none"
            " (write {written})",
            text=text,
            written=f"{number:02d}/{match['kind']}-{match['issuer']}",
        )
    if match["kind"] != "QĐ":
        raise InvalidInput(
            "decision number {text!r} must be a decision (QĐ), not {kind}",
            text=text,
            kind=match["kind"],
        )
    return DecisionNumber(number=number, kind=match["kind"], issuer=match["issuer"])


def check_decision_date(decided_on: date, council_closed_on: date | None) -> None:
    if council_closed_on is not None and decided_on < council_closed_on:
        raise InvalidInput(
            "decision date {decided_on} is before the council vote closed on {closed_on}",
            decided_on=decided_on.isoformat(),
            closed_on=council_closed_on.isoformat(),
        )


@dataclass(frozen=True)
class Decision:
    """The president's decision on a proposal: its outcome, number, date, reason and signer."""

    outcome: DecisionOutcome
    number: str
    decided_on: date
    reason: str
    by: str

    @property
    def awarded(self) -> bool:
        return self.outcome == DecisionOutcome.AWARDED

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "number": self.number,
            "decided_on": self.decided_on.isoformat(),
            "reason": self.reason,
            "by": self.by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Decision:
        return cls(
            outcome=DecisionOutcome(data["outcome"]),
            number=str(data["number"]),
            decided_on=date.fromisoformat(data["decided_on"]),
            reason=str(data["reason"]),
            by=str(data["by"]),
        )
