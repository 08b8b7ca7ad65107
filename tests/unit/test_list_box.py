"""The list box as an aggregate holds it: who may cast, the closed box, shares and the count,
and its plain data round trip (what an event-sourced aggregate stores)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sealing import ELECTION_KEY, SHARES, rand

from domain.kernel.errors import BallotError, InvalidInput
from domain.voting.ballot import Tally
from domain.voting.list_ballot import decryption_share, seal_list
from domain.voting.list_box import ListBox
from domain.voting.vote import Sealing

UNITS = ("binh-dinh", "phu-yen", "khanh-hoa")
LINES = ("flag:binh-dinh", "cert:phu-yen")
OWN = {"binh-dinh": ["flag:binh-dinh"], "phu-yen": ["cert:phu-yen"]}
CLOSED = Sealing("all members voted", datetime(2025, 1, 5, 3, tzinfo=UTC))


def opened() -> ListBox:
    return ListBox.opened("cluster-year/cum-6/2024/conference", LINES, UNITS, OWN, ELECTION_KEY)


def cast_all(box: ListBox) -> tuple[ListBox, list[dict[str, object]]]:
    entries = []
    for n, voter in enumerate(UNITS):
        choices = dict.fromkeys(box.expected(voter), "yes")
        ballot = seal_list(choices, box.key(), box.context, rand).to_json()
        box.check_ballot(voter, ballot)
        box = box.with_ballot(voter)
        entries.append({"receipt": f"{9 - n:064x}", "ballot": ballot})
    return box, entries


def test_each_voter_has_every_line_but_its_own() -> None:
    box = opened()
    assert box.expected("binh-dinh") == ("cert:phu-yen",)
    assert box.expected("khanh-hoa") == LINES
    assert box.line_electorate("flag:binh-dinh") == ("phu-yen", "khanh-hoa")


def test_a_voter_casts_once_and_only_while_the_box_is_open() -> None:
    box, entries = cast_all(opened())
    with pytest.raises(BallotError, match="already voted"):
        box.check_cast("binh-dinh")
    with pytest.raises(BallotError, match="not in this vote's electorate"):
        opened().check_cast("quang-ngai")
    box.check_box(entries)
    sealed = box.with_box(entries, CLOSED)
    with pytest.raises(BallotError, match="sealed"):
        sealed.check_cast("khanh-hoa")


def test_the_box_is_sorted_by_receipt_and_counted_per_line() -> None:
    box, entries = cast_all(opened())
    box = box.with_box(entries, CLOSED)
    assert box.receipts() == sorted(box.receipts())
    assert box.shares_missing == 2
    for trustee in SHARES[:2]:
        share = decryption_share(trustee, box.encrypted(), box.context, rand).to_json()
        box.check_share(share)
        box = box.with_share(share)
    with pytest.raises(InvalidInput, match="already given a share"):
        box.check_share(box.shares[0])
    assert box.shares_missing == 0
    counted = box.count()
    assert counted == {"flag:binh-dinh": Tally(yes=2), "cert:phu-yen": Tally(yes=2)}
    box = box.with_result(counted)
    assert box.tallies() == counted and box.is_counted


def test_plain_data_round_trip() -> None:
    box, entries = cast_all(opened())
    box = box.with_box(entries, CLOSED).with_result({line: Tally(yes=1) for line in LINES})
    assert ListBox.from_json(box.to_json()) == box


@pytest.mark.parametrize(
    ("lines", "electorate", "own", "refusal"),
    [
        ((), UNITS, {}, "1 to 200 lines"),
        (LINES, (), {}, "electorate of distinct voters"),
        (LINES, ("a", "a"), {}, "electorate of distinct voters"),
        (LINES, UNITS, {"quang-ngai": ["cert:phu-yen"]}, "not a voter"),
        (LINES, UNITS, {"phu-yen": list(LINES)}, "no line to vote on"),
    ],
)
def test_a_box_that_does_not_fit_is_not_opened(
    lines: tuple[str, ...], electorate: tuple[str, ...], own: dict[str, list[str]], refusal: str
) -> None:
    with pytest.raises(InvalidInput, match=refusal):
        ListBox.opened("v", lines, electorate, own, ELECTION_KEY)
