"""The year-end ranking: total score descending, ties broken by the rulebook's tie rules in order.

Tie rules (``ConferenceRules.tie_breaks``, applied in the order listed, each only among units
still tied after the rules before it):
- ``women_first``: a unit whose women share is at least ``ConferenceRules.women_share`` comes
  before one below it or whose share is not recorded (Decree 98/2023 Art 4).
- ``chair_side``: the side the chair takes. At the year-end summary the head (who chairs the
  conference) may state an order for tied units (``chair_order``, recorded with its reason in
  the ranking event); tied units the head named come first, in the head's order, before those
  it did not name. With no order stated this rule separates nothing. (Precedent: a tied vote
  goes the way the chair votes; the head states that side openly, never by its own unit.)
Last, always: ascending unit id, so a ranking is the same on every replay and every machine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from domain.kernel.errors import InvalidInput
from domain.rulebook.version import ConferenceRules, TieBreak


@dataclass(frozen=True)
class Standing:
    rank: int  # 1 for the leading unit; units still tied after every rule do not share a rank
    unit: str
    total: int
    women_first: bool


def _women(share: str | None, threshold: str) -> bool:
    if share is None:
        return False
    try:
        return Fraction(share) >= Fraction(threshold)
    except (ValueError, ZeroDivisionError):
        raise InvalidInput("not a fraction: {text!r}", text=share) from None


def rank(
    totals: Mapping[str, int],
    women_share: Mapping[str, str | None],
    rules: ConferenceRules,
    chair_order: Sequence[str] = (),
) -> tuple[Standing, ...]:
    """Every unit of ``totals`` in ranking order."""
    unknown = [unit for unit in chair_order if unit not in totals]
    if unknown or len(set(chair_order)) != len(chair_order):
        raise InvalidInput(
            "the chair's order names units not ranked, or one twice: {units}",
            units=", ".join(unknown) or ", ".join(chair_order),
        )
    women = {unit: _women(women_share.get(unit), rules.women_share) for unit in totals}
    chair = {unit: n for n, unit in enumerate(chair_order)}

    def order(unit: str) -> tuple[object, ...]:
        key: list[object] = [-totals[unit]]
        for rule in rules.tie_breaks:
            if rule == TieBreak.WOMEN_FIRST:
                key.append(0 if women[unit] else 1)
            elif rule == TieBreak.CHAIR_SIDE:
                key.append(chair.get(unit, len(chair)))
        key.append(unit)
        return tuple(key)

    ordered = sorted(totals, key=order)
    return tuple(
        Standing(n, unit, totals[unit], women[unit]) for n, unit in enumerate(ordered, start=1)
    )
