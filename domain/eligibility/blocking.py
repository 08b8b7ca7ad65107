"""No proposal while the nominee is under discipline, investigation or inspection, or a
complaint about it is being verified (Decree 98 Art 4); after a discipline ends, only later
achievements count: an achievement period (the emulation year) ending before the day the
discipline ended is refused."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.eligibility.holds import Hold, HoldKind
from domain.eligibility.refusal import Refusal
from domain.kernel.message import Message

RULE = "no_proposal_under_hold"


def _fact(hold: Hold) -> str:
    ended = f", ended {hold.released_on.isoformat()}" if hold.released_on else ", open"
    return (
        f"{hold.kind.value} from {hold.start.isoformat()}{ended}: {hold.reason} ({hold.reference})"
    )


def no_proposal_under_hold(holds: Sequence[Hold], year: int, version: str) -> Refusal | None:
    period_end = date(year, 12, 31)
    open_holds = [hold for hold in holds if hold.is_open]
    earlier = [
        hold
        for hold in holds
        if hold.kind == HoldKind.DISCIPLINE
        and hold.released_on is not None
        and period_end < hold.released_on
    ]
    if open_holds:
        message = Message(
            "the nominee is under {kind} since {start}: no proposal until it is released",
            kind=Message.term("hold", open_holds[0].kind.value),
            start=open_holds[0].start.isoformat(),
        )
    elif earlier:
        message = Message(
            "a discipline ended on {ended}: only achievements after it count, not those of {year}",
            ended=max(h.released_on for h in earlier if h.released_on).isoformat(),
            year=year,
        )
    else:
        return None
    return Refusal(RULE, version, tuple(_fact(h) for h in [*open_holds, *earlier]), message)
