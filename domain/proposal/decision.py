"""Decision numbers in the Decree 30/2020 form, e.g. ``17/QĐ-LHHVN``, unique per issuer and year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.kernel.errors import InvalidInput

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
