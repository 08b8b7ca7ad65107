"""List ballots: a line per candidate, each bound to its line and vote; the voter's own line is
absent; a closed box is whole; the count per line is the plain choices' count."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sealing import KEY, SHARES, rand

from domain.kernel.errors import BallotError, InvalidInput
from domain.voting.ballot import Choice, Tally
from domain.voting.list_ballot import (
    MAX_LINES,
    ListBallot,
    ballots_per_line,
    check_choices,
    check_list,
    check_list_box,
    count_lines,
    decryption_share,
    line_totals,
    list_context,
    seal_list,
)

CONTEXT = list_context("cluster-year/cum-6/2024/conference", KEY)
LINES = ("flag:binh-dinh", "cert:phu-yen", "cert:khanh-hoa")
YES, NO, ABSTAIN = Choice.YES, Choice.NO, Choice.ABSTAIN


@cache
def _sealed(choices: tuple[tuple[str, Choice], ...], position: int) -> dict[str, Any]:
    del position  # only makes each cached ballot of a box distinct
    return seal_list(dict(choices), KEY, CONTEXT, rand).to_json()


def sealed(position: int, choices: dict[str, Choice]) -> dict[str, Any]:
    return copy.deepcopy(_sealed(tuple(sorted(choices.items())), position))


def every_line(choice: Choice, position: int = 0, *, without: str = "") -> dict[str, Any]:
    return sealed(position, {line: choice for line in LINES if line != without})


def test_a_list_ballot_proves_itself_and_says_nothing_of_its_choices() -> None:
    stored = every_line(YES)
    ballot = check_list(stored, LINES, (), KEY, CONTEXT)
    assert ballot.line_ids == tuple(sorted(LINES))
    assert "yes" not in repr(stored) and len(ballot.tracker) == 64


def test_list_ballot_line_bound_to_its_line() -> None:
    stored = every_line(YES)
    lines = stored["lines"]
    lines["cert:phu-yen"], lines["cert:khanh-hoa"] = lines["cert:khanh-hoa"], lines["cert:phu-yen"]
    with pytest.raises(InvalidInput, match="for this vote"):
        check_list(stored, LINES, (), KEY, CONTEXT)


def test_list_ballot_bound_to_its_vote() -> None:
    other = list_context("cluster-year/cum-6/2025/conference", KEY)
    with pytest.raises(InvalidInput, match="for this vote"):
        check_list(every_line(NO), LINES, (), KEY, other)


def test_no_line_for_own_candidate() -> None:
    with pytest.raises(BallotError, match="own candidate flag:binh-dinh"):
        check_list(every_line(YES), LINES, ("flag:binh-dinh",), KEY, CONTEXT)
    own = every_line(YES, without="flag:binh-dinh")
    assert check_list(own, LINES, ("flag:binh-dinh",), KEY, CONTEXT).line_ids == (
        "cert:khanh-hoa",
        "cert:phu-yen",
    )


def test_missing_line_refused() -> None:
    with pytest.raises(InvalidInput, match="no line for flag:binh-dinh"):
        check_list(every_line(YES, without="flag:binh-dinh"), LINES, (), KEY, CONTEXT)


def test_extra_line_refused() -> None:
    with pytest.raises(InvalidInput, match="line cert:phu-yen that is not on this vote"):
        check_list(every_line(YES), ("flag:binh-dinh", "cert:khanh-hoa"), (), KEY, CONTEXT)


def test_tampered_line_proof_refused() -> None:
    stored = every_line(ABSTAIN)
    proof = stored["lines"]["cert:phu-yen"]["selections"][0]["proof"]
    proof["v0"] = format((int(proof["v0"], 16) + 1) % 2**200, "x")
    with pytest.raises(InvalidInput, match="0 or 1"):
        check_list(stored, LINES, (), KEY, CONTEXT)


def test_tampered_one_choice_proof_refused() -> None:
    stored = every_line(ABSTAIN)
    stored["lines"]["flag:binh-dinh"]["one"] = every_line(ABSTAIN, 1)["lines"]["flag:binh-dinh"][
        "one"
    ]
    with pytest.raises(InvalidInput, match="exactly one choice"):
        check_list(stored, LINES, (), KEY, CONTEXT)


def test_json_round_trip_is_canonical() -> None:
    stored = every_line(NO)
    ballot = ListBallot.from_json(stored)
    assert ballot.to_json() == stored
    assert ListBallot.from_json(ballot.to_json()) == ballot
    assert list(ballot.to_json()["lines"]) == sorted(LINES)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"lines": {}},
        {"lines": []},
        {"lines": {"x": None}, "extra": 1},
        {"lines": {" bad id": {}}},
        {"lines": {"a" * 101: {}}},
    ],
)
def test_malformed_list_ballot_refused(data: object) -> None:
    with pytest.raises(InvalidInput):
        ListBallot.from_json(data)


def test_limits_on_lines() -> None:
    one = every_line(YES)["lines"]["flag:binh-dinh"]
    too_many = {"lines": {f"line-{n}": one for n in range(MAX_LINES + 1)}}
    with pytest.raises(InvalidInput, match="1 to 200 lines"):
        ListBallot.from_json(too_many)
    with pytest.raises(InvalidInput, match="each line once"):
        check_choices({"a": YES}, ("a", "a"), ())


def test_plain_choices_are_checked_before_sealing() -> None:
    choices = {"cert:phu-yen": "yes", "cert:khanh-hoa": "no"}
    assert check_choices(choices, LINES, ("flag:binh-dinh",)) == {
        "cert:phu-yen": YES,
        "cert:khanh-hoa": NO,
    }
    with pytest.raises(InvalidInput, match="no line for flag:binh-dinh"):
        check_choices(choices, LINES, ())
    with pytest.raises(InvalidInput, match="yes, no or abstain"):
        check_choices({**choices, "flag:binh-dinh": "maybe"}, LINES, ())


# ---- the box and its count -------------------------------------------------------------------

VOTERS_OWN = ((), ("flag:binh-dinh",), ("cert:phu-yen",), ())


def _box(ballots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"receipt": f"{n:064x}", "ballot": b} for n, b in enumerate(ballots)]


def _count(ballots: list[ListBallot]) -> dict[str, Tally]:
    encrypted = line_totals(ballots, LINES)
    parts = [decryption_share(t, encrypted, CONTEXT, rand) for t in SHARES[:2]]
    return count_lines(KEY, encrypted, parts, ballots_per_line(ballots, LINES), CONTEXT)


def conference_box() -> list[dict[str, Any]]:
    return _box(
        [
            every_line(YES, 10),
            every_line(YES, 11, without="flag:binh-dinh"),
            sealed(12, {"flag:binh-dinh": NO, "cert:khanh-hoa": ABSTAIN}),
            sealed(13, {"flag:binh-dinh": YES, "cert:phu-yen": NO, "cert:khanh-hoa": NO}),
        ]
    )


def test_count_per_line_matches_the_plain_choices() -> None:
    ballots = check_list_box(conference_box(), LINES, VOTERS_OWN, KEY, CONTEXT)
    assert _count(ballots) == {
        "flag:binh-dinh": Tally(yes=2, no=1),
        "cert:phu-yen": Tally(yes=2, no=1),
        "cert:khanh-hoa": Tally(yes=2, no=1, abstain=1),
    }


def test_a_box_whose_line_sets_do_not_match_the_voters_is_refused() -> None:
    wrong = ((), (), ("cert:phu-yen",), ())  # nobody was given a ballot without the flag line
    with pytest.raises(BallotError, match="no recorded voter was given"):
        check_list_box(conference_box(), LINES, wrong, KEY, CONTEXT)


def test_a_line_copied_from_another_ballot_is_refused() -> None:
    box = conference_box()
    box[0]["ballot"]["lines"]["cert:khanh-hoa"] = box[3]["ballot"]["lines"]["cert:khanh-hoa"]
    with pytest.raises(BallotError, match="same sealed line twice"):
        check_list_box(box, LINES, VOTERS_OWN, KEY, CONTEXT)


def test_a_box_with_a_ballot_more_or_a_shared_receipt_is_refused() -> None:
    box = conference_box()
    with pytest.raises(BallotError, match="holds 4 ballots but 3 members voted"):
        check_list_box(box, LINES, VOTERS_OWN[:3], KEY, CONTEXT)
    box[1]["receipt"] = box[0]["receipt"]
    with pytest.raises(BallotError, match="share a receipt"):
        check_list_box(box, LINES, VOTERS_OWN, KEY, CONTEXT)


def test_fewer_shares_than_the_threshold_open_nothing() -> None:
    ballots = check_list_box(conference_box(), LINES, VOTERS_OWN, KEY, CONTEXT)
    encrypted = line_totals(ballots, LINES)
    part = decryption_share(SHARES[0], encrypted, CONTEXT, rand)
    with pytest.raises(BallotError, match="needs 2 trustees"):
        count_lines(KEY, encrypted, [part], ballots_per_line(ballots, LINES), CONTEXT)


def test_a_share_of_another_vote_is_refused() -> None:
    ballots = check_list_box(conference_box(), LINES, VOTERS_OWN, KEY, CONTEXT)
    encrypted = line_totals(ballots, LINES)
    other = list_context("council-session/7", KEY)
    parts = [decryption_share(t, encrypted, other, rand) for t in SHARES[:2]]
    with pytest.raises(InvalidInput, match="does not prove itself"):
        count_lines(KEY, encrypted, parts, ballots_per_line(ballots, LINES), CONTEXT)


def test_an_empty_box_counts_zero_on_every_line() -> None:
    assert _count([]) == {line: Tally() for line in LINES}


@settings(max_examples=5, deadline=None)
@given(st.lists(st.sampled_from([YES, NO, ABSTAIN]), min_size=2, max_size=2))
def test_property_count_per_line_is_the_plain_count(choices: list[Choice]) -> None:
    lines = ("a", "b")
    ballots = [
        seal_list({"a": choices[0], "b": choices[1]}, KEY, CONTEXT, rand),
        seal_list({"a": choices[1]}, KEY, CONTEXT, rand),
    ]
    encrypted = line_totals(ballots, lines)
    parts = [decryption_share(t, encrypted, CONTEXT, rand) for t in SHARES[1:]]
    counted = count_lines(KEY, encrypted, parts, ballots_per_line(ballots, lines), CONTEXT)
    assert counted == {"a": Tally.of(choices), "b": Tally.of(choices[1:])}
