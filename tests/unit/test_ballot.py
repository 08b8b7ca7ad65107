"""Ballot rules: electorate, one vote per member, quorum, threshold, tie rule and the ballot box."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.kernel.errors import BallotError, InvalidInput
from domain.voting.ballot import (
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

MAJORITY_OF_ALL = BallotRule(quorum="2/3", threshold="1/2", comparison=Comparison.MORE_THAN)
SEVENTY_OF_ALL = BallotRule(quorum="2/3", threshold="7/10", comparison=Comparison.AT_LEAST)
SEVENTY_OF_PRESENT = BallotRule(
    quorum="2/3", threshold="7/10", comparison=Comparison.AT_LEAST, base=Base.PRESENT
)


def half_of_present(tie: TieRule, comparison: Comparison = Comparison.AT_LEAST) -> BallotRule:
    return BallotRule(
        quorum="1/2", threshold="1/2", comparison=comparison, base=Base.PRESENT, tie=tie
    )


# ---- electorate and ballots ----------------------------------------------------------------


def test_member_cannot_vote_on_own_nomination() -> None:
    assert electorate(["a", "b", "c"], {"b"}, MAJORITY_OF_ALL) == ["a", "c"]


def test_member_may_vote_on_own_nomination_when_the_rule_allows_it() -> None:
    rule = BallotRule(self_vote_allowed=True)
    assert electorate(["a", "b", "c"], {"b"}, rule) == ["a", "b", "c"]


def test_electorate_lists_each_member_once_in_order() -> None:
    assert electorate(["b", "a", "b"], set(), MAJORITY_OF_ALL) == ["b", "a"]


def test_first_ballot_of_an_elector_is_accepted() -> None:
    check_ballot("a", ["a", "b"], ["b"])


def test_second_ballot_from_the_same_member_is_refused() -> None:
    with pytest.raises(BallotError, match="already voted"):
        check_ballot("a", ["a", "b"], ["a"])


def test_ballot_from_outside_the_electorate_is_refused() -> None:
    with pytest.raises(BallotError, match="not in this vote's electorate"):
        check_ballot("z", ["a", "b"], [])


def test_conflicted_member_left_out_of_the_electorate_cannot_vote() -> None:
    entitled = electorate(["a", "b"], {"b"}, MAJORITY_OF_ALL)
    with pytest.raises(BallotError, match="electorate"):
        check_ballot("b", entitled, [])


# ---- quorum --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("electorate_size", "cast", "reached"),
    [
        (6, 3, False),  # below 2/3
        (6, 4, True),  # exactly 2/3
        (6, 5, True),  # above
        (10, 6, False),  # 6/10 < 2/3
        (10, 7, True),
    ],
)
def test_quorum_is_two_thirds_of_the_electorate(
    electorate_size: int, cast: int, reached: bool
) -> None:
    outcome = decide(MAJORITY_OF_ALL, electorate_size, Tally(yes=cast))
    assert (outcome != Outcome.NO_QUORUM) == reached


def test_abstentions_count_towards_the_quorum() -> None:
    assert decide(MAJORITY_OF_ALL, 6, Tally(yes=1, abstain=3)) == Outcome.REJECTED


def test_empty_electorate_never_reaches_quorum() -> None:
    assert decide(BallotRule(quorum="0"), 0, Tally()) == Outcome.NO_QUORUM


def test_quorum_is_judged_before_the_tie_rule() -> None:
    rule = BallotRule(quorum="2/3", tie=TieRule.APPROVE)
    assert decide(rule, 6, Tally(yes=1, no=1)) == Outcome.NO_QUORUM


def test_more_ballots_than_electors_are_refused() -> None:
    with pytest.raises(BallotError, match="3 ballots cast for an electorate of 2"):
        decide(MAJORITY_OF_ALL, 2, Tally(yes=2, abstain=1))


# ---- threshold -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparison", "yes", "outcome"),
    [
        (Comparison.AT_LEAST, 6, Outcome.REJECTED),
        (Comparison.AT_LEAST, 7, Outcome.APPROVED),  # exactly 7/10: "từ 70% trở lên"
        (Comparison.MORE_THAN, 7, Outcome.REJECTED),  # exactly 7/10 is not "trên 70%"
        (Comparison.MORE_THAN, 8, Outcome.APPROVED),
    ],
)
def test_threshold_at_least_includes_the_threshold_and_more_than_excludes_it(
    comparison: Comparison, yes: int, outcome: Outcome
) -> None:
    rule = BallotRule(quorum="2/3", threshold="7/10", comparison=comparison, base=Base.ALL)
    assert decide(rule, 10, Tally(yes=yes, no=10 - yes)) == outcome


def test_base_all_counts_absent_members_as_not_yes() -> None:
    assert decide(SEVENTY_OF_ALL, 10, Tally(yes=6, no=1)) == Outcome.REJECTED


def test_base_present_counts_only_the_ballots_cast() -> None:
    assert decide(SEVENTY_OF_PRESENT, 10, Tally(yes=6, no=1)) == Outcome.APPROVED


def test_abstentions_count_in_the_base_of_present_members() -> None:
    # 5 yes of 8 present is 62.5%: the abstentions weigh like no.
    assert decide(SEVENTY_OF_PRESENT, 8, Tally(yes=5, abstain=3)) == Outcome.REJECTED


def test_abstentions_are_never_counted_as_yes() -> None:
    assert decide(MAJORITY_OF_ALL, 6, Tally(yes=3, abstain=3)) == Outcome.REJECTED


def test_ninety_percent_of_all_members_for_emulation_fighters() -> None:
    rule = BallotRule(quorum="2/3", threshold="9/10", comparison=Comparison.AT_LEAST)
    assert decide(rule, 20, Tally(yes=18, no=1)) == Outcome.APPROVED
    assert decide(rule, 20, Tally(yes=17, no=3)) == Outcome.REJECTED


# ---- tie rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparison", "outcome"),
    [(Comparison.AT_LEAST, Outcome.APPROVED), (Comparison.MORE_THAN, Outcome.REJECTED)],
)
def test_tie_rule_threshold_judges_an_even_split_by_the_threshold(
    comparison: Comparison, outcome: Outcome
) -> None:
    assert decide(half_of_present(TieRule.THRESHOLD, comparison), 4, Tally(2, 2)) == outcome


def test_tie_rule_reject_rejects_an_even_split_the_threshold_would_pass() -> None:
    rule = half_of_present(TieRule.REJECT, Comparison.AT_LEAST)
    assert decide(rule, 4, Tally(yes=2, no=2)) == Outcome.REJECTED


def test_tie_rule_approve_approves_an_even_split_the_threshold_would_fail() -> None:
    rule = half_of_present(TieRule.APPROVE, Comparison.MORE_THAN)
    assert decide(rule, 4, Tally(yes=2, no=2)) == Outcome.APPROVED


def test_tie_rule_does_not_apply_when_yes_and_no_differ() -> None:
    rule = half_of_present(TieRule.APPROVE, Comparison.MORE_THAN)
    assert decide(rule, 4, Tally(yes=1, no=2)) == Outcome.REJECTED


# ---- the rule as data ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["3/2", "-1/2", "abc", "1/0", "1.5", "", "nan", "inf"])
@pytest.mark.parametrize("field", ["quorum", "threshold"])
def test_invalid_fractions_are_refused(field: str, text: str) -> None:
    with pytest.raises(InvalidInput):
        BallotRule(**{field: text})


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("1", 1), ("0.7", Fraction(7, 10))])
def test_fractions_at_the_bounds_and_in_decimal_form_are_accepted(
    text: str, value: Fraction
) -> None:
    assert BallotRule(threshold=text).threshold_fraction == value


@pytest.mark.parametrize("field", ["comparison", "base", "tie"])
def test_unknown_rule_options_are_refused(field: str) -> None:
    with pytest.raises(ValueError):
        BallotRule(**{field: "roughly"})  # type: ignore[arg-type]


def test_rule_describes_itself_for_voters() -> None:
    assert SEVENTY_OF_ALL.describe() == "quorum 2/3, yes ≥ 7/10 of all members"
    assert BallotRule(base=Base.PRESENT).describe() == "quorum 2/3, yes > 1/2 of members present"


@pytest.mark.parametrize(
    ("rule", "electorate_size", "cast", "needed"),
    [
        (SEVENTY_OF_ALL, 5, 5, 4),  # 3.5 rounds up
        (SEVENTY_OF_ALL, 10, 7, 7),  # exactly 70% is enough
        (BallotRule(threshold="7/10", comparison=Comparison.MORE_THAN), 10, 10, 8),
        (MAJORITY_OF_ALL, 6, 6, 4),  # 3 of 6 is not more than half
        (MAJORITY_OF_ALL, 5, 5, 3),
        (SEVENTY_OF_PRESENT, 10, 7, 5),  # the base is the 7 present
        (BallotRule(threshold="1", comparison=Comparison.MORE_THAN), 4, 4, 5),  # unreachable
    ],
)
def test_yes_votes_needed(rule: BallotRule, electorate_size: int, cast: int, needed: int) -> None:
    assert yes_votes_needed(rule, electorate_size, cast) == needed


# ---- tally ----------------------------------------------------------------------------------


def test_tally_counts_each_choice() -> None:
    tally = Tally.of([Choice.YES, Choice.NO, Choice.YES, Choice.ABSTAIN])
    assert (tally.yes, tally.no, tally.abstain, tally.cast) == (2, 1, 1, 4)


def test_tally_refuses_an_unknown_choice() -> None:
    with pytest.raises(ValueError):
        Tally().add("maybe")  # type: ignore[arg-type]


# ---- properties ----------------------------------------------------------------------------

fractions = st.sampled_from(["0", "1/3", "1/2", "2/3", "7/10", "9/10", "1"])
rules = st.builds(
    BallotRule,
    quorum=fractions,
    threshold=fractions,
    comparison=st.sampled_from(list(Comparison)),
    base=st.sampled_from(list(Base)),
    tie=st.sampled_from(list(TieRule)),
    self_vote_allowed=st.booleans(),
)


@st.composite
def votes(draw: st.DrawFn, min_cast: int = 1, room: int = 0) -> tuple[int, Tally]:
    """An electorate size and a tally that fits in it, leaving `room` electors who did not vote."""
    size = draw(st.integers(min_value=max(min_cast, 1) + room, max_value=40))
    yes = draw(st.integers(min_value=0, max_value=size - room))
    no = draw(st.integers(min_value=0, max_value=size - room - yes))
    abstain = draw(
        st.integers(min_value=max(0, min_cast - yes - no), max_value=size - room - yes - no)
    )
    return size, Tally(yes=yes, no=no, abstain=abstain)


@given(rules, votes())
def test_decide_never_approves_without_quorum(rule: BallotRule, vote: tuple[int, Tally]) -> None:
    size, tally = vote
    if Fraction(tally.cast, size) < rule.quorum_fraction:
        assert decide(rule, size, tally) == Outcome.NO_QUORUM


@given(rules.filter(lambda r: r.tie == TieRule.THRESHOLD), votes(room=1))
def test_adding_a_yes_vote_never_turns_approval_into_rejection(
    rule: BallotRule, vote: tuple[int, Tally]
) -> None:
    size, tally = vote
    more = Tally(yes=tally.yes + 1, no=tally.no, abstain=tally.abstain)
    if decide(rule, size, tally) == Outcome.APPROVED:
        assert decide(rule, size, more) == Outcome.APPROVED


@given(rules.filter(lambda r: r.tie == TieRule.THRESHOLD), votes())
def test_turning_a_no_into_a_yes_never_turns_approval_into_rejection(
    rule: BallotRule, vote: tuple[int, Tally]
) -> None:
    size, tally = vote
    if tally.no == 0:
        return
    better = Tally(yes=tally.yes + 1, no=tally.no - 1, abstain=tally.abstain)
    if decide(rule, size, tally) == Outcome.APPROVED:
        assert decide(rule, size, better) == Outcome.APPROVED


@given(votes(min_cast=1))
def test_more_than_half_of_present_means_more_yes_than_no_and_abstain(
    vote: tuple[int, Tally],
) -> None:
    size, tally = vote
    rule = BallotRule(
        quorum="0", threshold="1/2", comparison=Comparison.MORE_THAN, base=Base.PRESENT
    )
    approved = decide(rule, size, tally) == Outcome.APPROVED
    assert approved == (tally.yes > tally.no + tally.abstain)


@given(rules.filter(lambda r: r.tie == TieRule.THRESHOLD), st.integers(1, 40))
def test_yes_votes_needed_is_the_least_yes_count_that_passes(rule: BallotRule, size: int) -> None:
    needed = yes_votes_needed(rule, size, size)  # everyone present: base is the same either way
    for yes in {max(needed - 1, 0), min(needed, size)}:
        outcome = decide(rule, size, Tally(yes=yes, no=size - yes))
        assert (outcome == Outcome.APPROVED) == (yes >= needed), yes


@given(
    st.lists(st.sampled_from("abcdef"), max_size=12),
    st.sets(st.sampled_from("abcdef")),
    st.booleans(),
)
def test_electorate_has_no_duplicates_and_no_conflicted_member_unless_allowed(
    members: list[str], conflicted: set[str], self_vote_allowed: bool
) -> None:
    rule = BallotRule(self_vote_allowed=self_vote_allowed)
    entitled = electorate(members, conflicted, rule)
    assert len(entitled) == len(set(entitled))
    assert set(entitled) <= set(members)
    if self_vote_allowed:
        assert set(entitled) == set(members)
    else:
        assert set(entitled) == set(members) - conflicted


def test_an_empty_vote_with_no_quorum_required_is_rejected_not_a_crash() -> None:
    assert decide(BallotRule(quorum="0", base=Base.PRESENT), 5, Tally()) == Outcome.REJECTED


def test_no_vote_passes_without_a_yes_whatever_the_tie_rule() -> None:
    assert decide(BallotRule(tie=TieRule.APPROVE), 4, Tally(abstain=4)) == Outcome.REJECTED


def test_the_tie_rule_never_makes_one_more_yes_lose() -> None:
    rule = BallotRule(tie=TieRule.APPROVE)  # > 1/2 of all
    assert decide(rule, 6, Tally(yes=3, no=2)) == Outcome.REJECTED  # 3/6 is not > 1/2
    assert decide(rule, 6, Tally(yes=2, no=2)) == Outcome.REJECTED
    assert decide(rule, 4, Tally(yes=2, no=2)) == Outcome.APPROVED  # exactly on the line
    low = BallotRule(quorum="1/2", threshold="1/4", base=Base.PRESENT, tie=TieRule.REJECT)
    assert decide(low, 4, Tally(yes=1, no=2)) == Outcome.APPROVED
    assert decide(low, 4, Tally(yes=2, no=2)) == Outcome.APPROVED


def test_a_tie_far_below_the_threshold_is_not_approved() -> None:
    rule = BallotRule(threshold="7/10", comparison=Comparison.AT_LEAST, tie=TieRule.APPROVE)
    assert decide(rule, 10, Tally(yes=3, no=3, abstain=4)) == Outcome.REJECTED
