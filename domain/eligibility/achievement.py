"""One achievement earns one form (Law 06/2022): the same nominee, period and achievement
cannot be proposed again, whatever the form."""

from __future__ import annotations

from collections.abc import Sequence

from domain.eligibility.identity import achievement_key
from domain.eligibility.refusal import Refusal
from domain.eligibility.register import NOT_AWARDS, AwardEntry
from domain.kernel.message import Message

RULE = "one_achievement_one_form"


def one_achievement_one_form(
    nominee: str, year: int, achievement: str, claims: Sequence[AwardEntry], version: str
) -> Refusal | None:
    """``claims``: the nominee's register entries and its proposals under way."""
    wanted = achievement_key(achievement, year)
    found = [
        claim
        for claim in claims
        if claim.nominee == nominee
        and claim.code not in NOT_AWARDS
        and achievement_key(claim.achievement, claim.year) == wanted
    ]
    if not found:
        return None
    return Refusal(
        RULE,
        version,
        tuple(claim.describe() for claim in found),
        Message(
            "one achievement earns one form: {nominee} already holds or is proposed for"
            " {form} for this achievement of {year}",
            nominee=nominee,
            form=found[0].code,
            year=year,
        ),
    )
