"""Ballot rules: electorate, one vote per member, quorum, threshold and the tie rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.ballot import (
    BallotRule,
    Base,
    Choice,
    Comparison,
    Outcome,
    Tally,
    TieRule,
    check_ballot,
    decide,
    electorate,
    yes_votes_needed,
)
from domain.errors import BallotError, InvalidInput

MAJORITY_OF_ALL = BallotRule(quorum="2/3", threshold="1/2", comparison=Comparison.MORE_THAN)
SEVENTY_OF_ALL = BallotRule(quorum="2/3", threshold="7/10", comparison=Comparison.AT_LEAST)


def test_member_cannot_vote_on_own_nomination() -> None:
    assert electorate(["a", "b", "c"], {"b"}, MAJORITY_OF_ALL) == ["a", "c"]


def test_self_vote_can_be_allowed_by_the_rule() -> None:
    rule = BallotRule(self_vote_allowed=True)
    assert electorate(["a", "b"], {"b"}, rule) == ["a", "b"]


def test_electorate_lists_each_member_once() -> None:
    assert electorate(["a", "b", "a"], set(), MAJORITY_OF_ALL) == ["a", "b"]


def test_second_ballot_from_the_same_member_is_refused() -> None:
    with pytest.raises(BallotError, match="already voted"):
        check_ballot("a", ["a", "b"], ["a"])


def test_ballot_from_outside_the_electorate_is_refused() -> None:
    with pytest.raises(BallotError, match="not in this vote's electorate"):
        check_ballot("z", ["a", "b"], [])


def test_first_ballot_of_an_elector_is_accepted() -> None:
    check_ballot("a", ["a", "b"], ["b"])


@pytest.mark.parametrize(
    ("cast", "outcome"),
    [(3, Outcome.NO_QUORUM), (4, Outcome.APPROVED), (6, Outcome.APPROVED)],
)
def test_quorum_is_two_thirds_of_the_electorate(cast: int, outcome: Outcome) -> None:
    # 6 electors: 4 ballots reach 2/3 exactly; 3 yes of 6 is not > 1/2, so use yes = 4.
    tally = Tally(yes=min(cast, 4), no=max(cast - 4, 0))
    assert decide(MAJORITY_OF_ALL, 6, tally) == outcome


def test_empty_electorate_never_reaches_quorum() -> None:
    assert decide(MAJORITY_OF_ALL, 0, Tally()) == Outcome.NO_QUORUM


def test_more_ballots_than_electors_is_refused() -> None:
    with pytest.raises(BallotError):
        decide(MAJORITY_OF_ALL, 2, Tally(yes=3))


@pytest.mark.parametrize(
    ("comparison", "yes", "outcome"),
    [
        (Comparison.AT_LEAST, 7, Outcome.APPROVED),
        (Comparison.MORE_THAN, 7, Outcome.REJECTED),
        (Comparison.MORE_THAN, 8, Outcome.APPROVED),
        (Comparison.AT_LEAST, 6, Outcome.REJECTED),
    ],
)
def test_threshold_comparison_at_least_versus_more_than(
    comparison: Comparison, yes: int, outcome: Outcome
) -> None:
    rule = BallotRule(quorum="2/3", threshold="7/10", comparison=comparison, base=Base.ALL)
    assert decide(rule, 10, Tally(yes=yes, no=10 - yes)) == outcome


def test_base_all_counts_absent_members_against() -> None:
    tally = Tally(yes=6, no=1)  # 7 of 10 present: 6/10 of all, 6/7 of present
    assert decide(SEVENTY_OF_ALL, 10, tally) == Outcome.REJECTED
    present = BallotRule(
        quorum="2/3", threshold="7/10", comparison=Comparison.AT_LEAST, base=Base.PRESENT
    )
    assert decide(present, 10, tally) == Outcome.APPROVED


def test_abstentions_count_for_quorum_but_not_as_yes() -> None:
    assert decide(MAJORITY_OF_ALL, 6, Tally(yes=3, abstain=3)) == Outcome.REJECTED
    assert decide(MAJORITY_OF_ALL, 6, Tally(yes=4, abstain=2)) == Outcome.APPROVED


@pytest.mark.parametrize(
    ("tie", "outcome"),
    [
        (TieRule.THRESHOLD, Outcome.APPROVED),
        (TieRule.REJECT, Outcome.REJECTED),
        (TieRule.APPROVE, Outcome.APPROVED),
    ],
)
def test_tie_rule_decides_an_even_split(tie: TieRule, outcome: Outcome) -> None:
    rule = BallotRule(
        quorum="1/2", threshold="1/2", comparison=Comparison.AT_LEAST, base=Base.PRESENT, tie=tie
    )
    assert decide(rule, 4, Tally(yes=2, no=2)) == outcome


def test_tie_rule_approve_overrides_a_strict_threshold() -> None:
    rule = BallotRule(quorum="1/2", threshold="1/2", base=Base.PRESENT, tie=TieRule.APPROVE)
    assert decide(rule, 4, Tally(yes=2, no=2)) == Outcome.APPROVED


@pytest.mark.parametrize("text", ["3/2", "-1/2", "abc", "1/0", "1.5"])
def test_invalid_fractions_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        BallotRule(threshold=text)


def test_unknown_comparison_is_refused() -> None:
    with pytest.raises(ValueError):
        BallotRule(comparison="roughly")  # type: ignore[arg-type]


def test_yes_votes_needed_for_display() -> None:
    assert yes_votes_needed(SEVENTY_OF_ALL, 5, 5) == 4
    assert yes_votes_needed(MAJORITY_OF_ALL, 6, 6) == 4
    assert yes_votes_needed(MAJORITY_OF_ALL, 5, 5) == 3


def test_tally_counts_choices() -> None:
    tally = Tally.of([Choice.YES, Choice.NO, Choice.YES, Choice.ABSTAIN])
    assert (tally.yes, tally.no, tally.abstain, tally.cast) == (2, 1, 1, 4)


def test_tally_refuses_an_unknown_choice() -> None:
    with pytest.raises(ValueError):
        Tally().add("maybe")  # type: ignore[arg-type]


rules = st.builds(
    BallotRule,
    quorum=st.sampled_from(["0", "1/2", "2/3", "1"]),
    threshold=st.sampled_from(["1/2", "2/3", "7/10", "9/10"]),
    comparison=st.sampled_from(list(Comparison)),
    base=st.sampled_from(list(Base)),
    tie=st.sampled_from(list(TieRule)),
)


@st.composite
def votes(draw: st.DrawFn) -> tuple[int, Tally]:
    size = draw(st.integers(min_value=1, max_value=40))
    yes = draw(st.integers(min_value=0, max_value=size))
    no = draw(st.integers(min_value=0, max_value=size - yes))
    abstain = draw(st.integers(min_value=0, max_value=size - yes - no))
    return size, Tally(yes=yes, no=no, abstain=abstain)


@given(rules, votes())
def test_no_approval_without_quorum(rule: BallotRule, vote: tuple[int, Tally]) -> None:
    size, tally = vote
    if tally.cast * rule.quorum_fraction.denominator < rule.quorum_fraction.numerator * size:
        assert decide(rule, size, tally) == Outcome.NO_QUORUM


@given(rules.filter(lambda r: r.tie == TieRule.THRESHOLD), votes())
def test_turning_a_no_into_a_yes_never_loses_approval(
    rule: BallotRule, vote: tuple[int, Tally]
) -> None:
    size, tally = vote
    if tally.no == 0:
        return
    better = Tally(yes=tally.yes + 1, no=tally.no - 1, abstain=tally.abstain)
    if decide(rule, size, tally) == Outcome.APPROVED:
        assert decide(rule, size, better) == Outcome.APPROVED


@given(votes())
def test_simple_majority_of_present_means_more_yes_than_the_rest(vote: tuple[int, Tally]) -> None:
    size, tally = vote
    rule = BallotRule(
        quorum="0", threshold="1/2", comparison=Comparison.MORE_THAN, base=Base.PRESENT
    )
    if tally.cast == 0:
        return
    approved = decide(rule, size, tally) == Outcome.APPROVED
    assert approved == (tally.yes > tally.no + tally.abstain)
