"""List votes as use cases: a voter's list sealed by the service or by its own client, receipts,
the count view, the service's and a trustee's shares, and an auditor's recount."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sealing import ELECTION_KEY, KEY, SHARES

from domain.kernel.errors import BallotError, InvalidInput
from domain.voting.ballot import Tally
from domain.voting.list_box import ListBox
from domain.voting.vote import Sealing
from infra.trustee_keys import Custody
from services.application.list_voting import (
    CastList,
    ListBallotInput,
    ReceiptNotFound,
    ReceiptNotYours,
    Refused,
    cast_list,
    check_list_receipt,
    count_view,
    list_share_for,
    recount,
    service_shares,
)
from services.application.voter import Refused as VoterRefused
from services.application.voter import sealed_list_for

SECRET = b"list-voting-test-secret"
UNITS = ("binh-dinh", "phu-yen", "khanh-hoa")
LINES = ("flag:binh-dinh", "cert:phu-yen", "cert:khanh-hoa")
OWN = {"binh-dinh": ["flag:binh-dinh"], "phu-yen": ["cert:phu-yen"]}
CLOSED = Sealing("all members voted", datetime(2025, 1, 5, 3, tzinfo=UTC))


def opened() -> ListBox:
    return ListBox.opened("cluster-year/cum-6/2024/conference", LINES, UNITS, OWN, ELECTION_KEY)


def plain(box: ListBox, voter: str, choice: str = "yes") -> ListBallotInput:
    return ListBallotInput(choices=dict.fromkeys(box.expected(voter), choice))


def cast_everyone(box: ListBox) -> tuple[ListBox, list[CastList]]:
    """Binh Dinh and Phu Yen vote yes through the service; Khanh Hoa seals no on its client."""
    cast = []
    for voter in UNITS[:2]:
        cast.append(cast_list(SECRET, box, f"{voter}.head", voter, plain(box, voter), "k"))
        box = box.with_ballot(voter)
    client = sealed_list_for(count_view(box).to_json(), dict.fromkeys(LINES, "no"), None)
    cast.append(
        cast_list(
            SECRET,
            box,
            "khanh-hoa.head",
            "khanh-hoa",
            ListBallotInput(sealed=client.to_json()),
            "k",
        )
    )
    return box.with_ballot("khanh-hoa"), cast


def closed_box() -> tuple[ListBox, list[CastList]]:
    box, cast = cast_everyone(opened())
    entries = [{"receipt": c.receipt_hash, "ballot": c.ballot} for c in cast]
    box.check_box(entries)
    return box.with_box(entries, CLOSED), cast


def counted(box: ListBox) -> ListBox:
    for share in service_shares(box, Custody(KEY, tuple(SHARES[:2]))):
        box.check_share(share)
        box = box.with_share(share)
    return box.with_result(box.count())


def test_a_plain_list_is_sealed_with_a_receipt_and_a_tracker() -> None:
    box = opened()
    cast = cast_list(SECRET, box, "binh-dinh.head", "binh-dinh", plain(box, "binh-dinh"), "k")
    assert set(cast.ballot["lines"]) == {"cert:phu-yen", "cert:khanh-hoa"}
    assert "yes" not in repr(cast.ballot) and len(cast.tracker) == 64
    again = cast_list(SECRET, box, "binh-dinh.head", "binh-dinh", plain(box, "binh-dinh"), "k")
    assert again.receipt == cast.receipt and again.ballot != cast.ballot


def test_a_plain_list_with_the_voters_own_line_is_refused() -> None:
    box = opened()
    with pytest.raises(BallotError, match="own candidate flag:binh-dinh"):
        cast_list(SECRET, box, "u", "binh-dinh", ListBallotInput(dict.fromkeys(LINES, "no")), None)


def test_a_client_sealed_list_missing_a_line_is_refused() -> None:
    box = opened()
    client = sealed_list_for(count_view(box).to_json(), {"cert:phu-yen": "yes"}, None)
    with pytest.raises(InvalidInput, match="no line for"):
        cast_list(SECRET, box, "u", "khanh-hoa", ListBallotInput(sealed=client.to_json()), None)


def test_the_voters_client_refuses_another_key_or_a_sealed_vote() -> None:
    view = count_view(opened()).to_json()
    with pytest.raises(VoterRefused, match="not the published key"):
        sealed_list_for(view, {"cert:phu-yen": "yes"}, "0000")
    with pytest.raises(VoterRefused, match="closed"):
        sealed_list_for({**view, "sealed": True}, {"cert:phu-yen": "yes"}, None)
    with pytest.raises(VoterRefused, match="not on this vote"):
        sealed_list_for(view, {"cert:quang-ngai": "yes"}, None)


def test_a_receipt_finds_its_ballot_in_the_box_for_its_voter_only() -> None:
    box, cast = cast_everyone(opened())
    assert not check_list_receipt(SECRET, box, "binh-dinh.head", cast[0].receipt).in_box
    box, cast = closed_box()
    found = check_list_receipt(SECRET, box, "binh-dinh.head", cast[0].receipt)
    assert found.in_box and not found.counted and found.tracker == cast[0].tracker
    assert check_list_receipt(SECRET, counted(box), "binh-dinh.head", cast[0].receipt).counted
    with pytest.raises(ReceiptNotYours):
        check_list_receipt(SECRET, box, "phu-yen.head", cast[0].receipt)
    stray = cast_list(SECRET, opened(), "x.head", "khanh-hoa", plain(box, "khanh-hoa"), "other")
    with pytest.raises(ReceiptNotFound):
        check_list_receipt(SECRET, box, "x.head", stray.receipt)


def test_the_service_shares_open_the_count_per_line() -> None:
    box = counted(closed_box()[0])
    assert box.tallies() == {
        "flag:binh-dinh": Tally(yes=1, no=1),
        "cert:phu-yen": Tally(yes=1, no=1),
        "cert:khanh-hoa": Tally(yes=2, no=1),
    }
    assert service_shares(box, Custody(KEY, ())) == []


def test_a_trustee_share_from_the_published_count_opens_it() -> None:
    box = closed_box()[0]
    for trustee in SHARES[1:]:
        share = list_share_for(count_view(box).to_json(), trustee)
        box = box.with_share(share)
    with pytest.raises(Refused, match="already given a share"):
        list_share_for(count_view(box).to_json(), SHARES[1])
    assert box.count()["cert:khanh-hoa"] == Tally(yes=2, no=1)


def test_a_trustee_refuses_totals_that_are_not_the_box_product() -> None:
    view = count_view(closed_box()[0]).to_json()
    view["totals"]["cert:phu-yen"] = view["totals"]["cert:khanh-hoa"]
    with pytest.raises(Refused, match="not the product of the box"):
        list_share_for(view, SHARES[0])
    with pytest.raises(Refused, match="not sealed yet"):
        list_share_for(count_view(opened()).to_json(), SHARES[0])


def test_an_auditor_recounts_the_published_count() -> None:
    view: dict[str, Any] = count_view(counted(closed_box()[0])).to_json()
    assert recount(view).problems == []
    assert recount(view).tallies == {
        "flag:binh-dinh": Tally(yes=1, no=1),
        "cert:phu-yen": Tally(yes=1, no=1),
        "cert:khanh-hoa": Tally(yes=2, no=1),
    }
    view["result"]["cert:phu-yen"] = {"yes": 2, "no": 0, "abstain": 0}
    assert "the record says" in recount(view).problems[0]
    view["box"] = view["box"][1:]
    assert recount(view).tallies is None
