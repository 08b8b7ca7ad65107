"""Secret-ballot rules as pure functions: who may vote, quorum, threshold and the tie rule."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from domain.kernel.errors import BallotError, InvalidInput


class Comparison(StrEnum):
    AT_LEAST = "at_least"  # "từ … trở lên": yes/base >= threshold
    MORE_THAN = "more_than"  # "trên": yes/base > threshold


class Base(StrEnum):
    ALL = "all"  # every member of the electorate, present or not
    PRESENT = "present"  # the members who cast a ballot (abstentions included)


class TieRule(StrEnum):
    THRESHOLD = "threshold"  # a tie is judged by the threshold like any other result
    REJECT = "reject"
    APPROVE = "approve"


class Choice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Outcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"


def _fraction(text: str) -> Fraction:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError) as error:
        raise InvalidInput("not a fraction: {text!r}", text=text) from error
    if not 0 <= value <= 1:
        raise InvalidInput("a fraction between 0 and 1 is required, got {text!r}", text=text)
    return value


@dataclass(frozen=True)
class BallotRule:
    """How one kind of vote is judged. Fractions are strings ("2/3", "70/100") so the rule
    travels as plain data through Temporal and the event store."""

    quorum: str = "2/3"
    threshold: str = "1/2"
    comparison: Comparison = Comparison.MORE_THAN
    base: Base = Base.ALL
    tie: TieRule = TieRule.THRESHOLD
    self_vote_allowed: bool = False

    def __post_init__(self) -> None:
        _fraction(self.quorum)
        _fraction(self.threshold)
        Comparison(self.comparison)
        Base(self.base)
        TieRule(self.tie)

    @property
    def quorum_fraction(self) -> Fraction:
        return _fraction(self.quorum)

    @property
    def threshold_fraction(self) -> Fraction:
        return _fraction(self.threshold)

    def describe(self) -> str:
        sign = "≥" if self.comparison == Comparison.AT_LEAST else ">"
        base = "all members" if self.base == Base.ALL else "members present"
        return f"quorum {self.quorum}, yes {sign} {self.threshold} of {base}"


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain

    def add(self, choice: Choice) -> Tally:
        choice = Choice(choice)
        return Tally(
            yes=self.yes + (choice == Choice.YES),
            no=self.no + (choice == Choice.NO),
            abstain=self.abstain + (choice == Choice.ABSTAIN),
        )

    @classmethod
    def of(cls, choices: Iterable[Choice]) -> Tally:
        tally = cls()
        for choice in choices:
            tally = tally.add(choice)
        return tally


def electorate(members: Iterable[str], conflicted: Collection[str], rule: BallotRule) -> list[str]:
    """The members entitled to vote, in order, without those voting on their own nomination."""
    seen: list[str] = []
    for member in members:
        if member in seen:
            continue
        if member in conflicted and not rule.self_vote_allowed:
            continue
        seen.append(member)
    return seen


def check_ballot(voter: str, entitled: Collection[str], voted: Collection[str]) -> None:
    """Refuse a ballot from outside the electorate or a second ballot from the same member."""
    if voter in voted:
        raise BallotError("{voter} has already voted; one vote per member", voter=voter)
    if voter not in entitled:
        raise BallotError(
            "{voter} is not in this vote's electorate (not a member, or its own nomination)",
            voter=voter,
        )


def decide(rule: BallotRule, electorate_size: int, tally: Tally) -> Outcome:
    """Judge a closed vote: quorum first, then the threshold. The tie rule settles only an
    even split that sits exactly on the threshold, so one more yes never loses approval and
    no vote passes without a yes."""
    if tally.cast > electorate_size:
        raise BallotError(
            "{cast} ballots cast for an electorate of {size}", cast=tally.cast, size=electorate_size
        )
    if electorate_size == 0 or Fraction(tally.cast, electorate_size) < rule.quorum_fraction:
        return Outcome.NO_QUORUM
    base = electorate_size if rule.base == Base.ALL else tally.cast
    if base == 0 or tally.yes == 0:
        return Outcome.REJECTED
    share = Fraction(tally.yes, base)
    if share == rule.threshold_fraction and tally.yes == tally.no and rule.tie != TieRule.THRESHOLD:
        return Outcome.APPROVED if rule.tie == TieRule.APPROVE else Outcome.REJECTED
    if rule.comparison == Comparison.AT_LEAST:
        passed = share >= rule.threshold_fraction
    else:
        passed = share > rule.threshold_fraction
    return Outcome.APPROVED if passed else Outcome.REJECTED


def rule_from(data: dict[str, object]) -> BallotRule:
    """A rule as recorded in an event; a malformed one is refused with InvalidInput."""
    try:
        return BallotRule(**data)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise InvalidInput("not a valid ballot rule: {error}", error=str(error)) from None


def yes_votes_needed(rule: BallotRule, electorate_size: int, cast: int) -> int:
    """The least number of yes votes that passes the threshold (for display to voters)."""
    base = electorate_size if rule.base == Base.ALL else cast
    for yes in range(1, base + 1):  # no vote passes without a yes
        share = Fraction(yes, base) if base else Fraction(0)
        if (rule.comparison == Comparison.AT_LEAST and share >= rule.threshold_fraction) or (
            rule.comparison == Comparison.MORE_THAN and share > rule.threshold_fraction
        ):
            return yes
    return base + 1
