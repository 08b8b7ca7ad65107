"""The election of next year's head and deputy at the conference, and the rotation rule."""

from __future__ import annotations

from collections.abc import Sequence

from domain.kernel.errors import DomainError, InvalidInput
from domain.rulebook.version import ConferenceRules


def check_election(
    head: str,
    deputy: str,
    members: Sequence[str],
    recent_heads: Sequence[str],
    rules: ConferenceRules,
    reason: str,
) -> None:
    """Both are member units, the deputy is not the head, and the head has not already served
    ``head_consecutive_years`` years running (``recent_heads``: this year's head first, then
    the years before, as recorded in the organisation years).

    Default (one year): the head does not serve two years running."""
    if head not in members or deputy not in members:
        raise DomainError("the head and the deputy are member units of the cluster")
    if head == deputy:
        raise DomainError("the deputy cannot be the head")
    limit = rules.head_consecutive_years
    served = list(recent_heads[:limit])
    if len(served) == limit and all(unit == head for unit in served):
        raise DomainError(
            "{unit} has headed the cluster {years} year(s) running; the rulebook allows {years}",
            unit=head,
            years=limit,
        )
    if not reason.strip():
        raise InvalidInput("the election's record needs a reason (the conference's minutes)")
