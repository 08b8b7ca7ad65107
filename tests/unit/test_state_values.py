"""The proposal's state as values: what a vote, a dossier and a nominee say of themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sealing import ELECTION_KEY

from domain.kernel.errors import InvalidInput
from domain.proposal.dossier import Document, Dossier
from domain.proposal.forms import NomineeKind, find_form
from domain.proposal.nominee import Nominee
from domain.proposal.rules import CLUSTER_DEFAULT
from domain.voting.ballot import Outcome, Tally
from domain.voting.vote import Sealing, Vote, VoteResult
from services.i18n.catalogue import render

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
BOX = [{"receipt": "r1", "ballot": {"selections": [], "one": {}}}]


def opened() -> Vote:
    return Vote(("a", "b", "c"), CLUSTER_DEFAULT, NOW, ELECTION_KEY)


def test_an_opened_vote_is_open_and_not_counting() -> None:
    vote = opened().with_ballot("a")
    assert (vote.is_open, vote.is_sealed, vote.counting, vote.voted) == (True, False, False, ("a",))


def test_a_sealed_box_is_counting_until_the_result_and_needs_threshold_shares() -> None:
    sealed = opened().with_ballot("a").with_box(BOX, Sealing("deadline passed", NOW))
    assert (sealed.is_open, sealed.counting, sealed.shares_missing) == (False, True, 2)
    shared = sealed.with_share({"trustee": 3, "factors": [], "proofs": []})
    assert (shared.trustees, shared.shares_missing) == ([3], 1)
    result = VoteResult(Tally(yes=1), Outcome.APPROVED, "deadline passed", date(2026, 11, 20))
    counted = shared.with_result(result)
    assert (counted.counting, counted.is_counted, counted.is_open) == (False, True, False)


def test_an_empty_sealed_box_needs_no_share() -> None:
    assert opened().with_box([], Sealing("deadline passed", NOW)).shares_missing == 0


def test_a_change_makes_a_new_vote_and_leaves_the_old_one_as_it_was() -> None:
    vote = opened()
    vote.with_ballot("a")
    assert vote.voted == ()


def test_a_vote_as_plain_data_comes_back_equal() -> None:
    result = VoteResult(Tally(no=1), Outcome.REJECTED, "all voted", date(2026, 11, 20))
    vote = opened().with_ballot("b").with_box(BOX, Sealing("all voted", NOW)).with_result(result)
    assert Vote.from_json(vote.to_json()) == vote
    assert vote.to_json()["result"] == {
        "tally": {"yes": 0, "no": 1, "abstain": 0},
        "outcome": "rejected",
        "reason": "all voted",
        "closed_on": "2026-11-20",
    }


def document(kind: str, version: int, sha: str = "") -> Document:
    return Document(f"{kind}.pdf", "application/pdf", sha or kind, 10, kind, version)


def test_a_dossier_knows_its_current_version_and_what_is_missing() -> None:
    dossier = Dossier(("request_letter", "achievement_report"))
    dossier = dossier.with_document(document("request_letter", 1))
    assert dossier.missing == ["achievement_report"]
    later = dossier.next_version(1).with_document(document("review_minutes", 2, "cc"))
    assert (later.version, later.hashes, later.missing) == (2, ["cc"], ["achievement_report"])
    assert [d.kind for d in later.find("cc")] == ["review_minutes"]
    assert Dossier.from_json(later.to_json()) == later


@pytest.mark.parametrize(
    ("given", "refusal"),
    [
        ({"name": "a.pdf", "media_type": "application/pdf", "sha256": "aa", "size": 1}, "kind"),
        ({"name": "a", "media_type": "x", "sha256": "aa", "kind": "k", "size": 0}, "empty"),
        ({"name": "a", "media_type": "x", "sha256": "aa", "kind": "k", "size": True}, "empty"),
    ],
)
def test_a_document_without_its_fields_or_content_is_refused(
    given: dict[str, Any], refusal: str
) -> None:
    with pytest.raises(InvalidInput, match=refusal):
        Document.of(given, 1)


def test_a_nominee_keeps_its_optional_fields_only_when_given() -> None:
    nominee = Nominee.of(find_form("vusta_medal"), {"kind": "individual", "name": " An ", "x": 1})
    assert nominee == Nominee(NomineeKind.INDIVIDUAL, "An")
    assert nominee.to_json() == {"kind": "individual", "name": "An"}
    assert Nominee.from_json(nominee.to_json()) == nominee


def test_a_nominee_of_a_kind_the_form_does_not_admit_is_refused_with_the_forms_own_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        Nominee.of(find_form("vusta_flag"), {"kind": "individual", "name": "An"})
    assert render(refused.value.message, "en") == (
        "VUSTA Emulation Flag is awarded to collectives, not an individual"
    )
    assert render(refused.value.message, "vi") == (
        "Cờ thi đua của Liên hiệp Hội Việt Nam chỉ xét tặng cho tập thể, không xét tặng cho cá nhân"
    )
