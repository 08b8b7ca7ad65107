"""What an auditor reads: every event in words, Vietnam time, tallies, decisions and names."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.audit.event_descriptions import CATALOGUE, EventFacts, actor_words, describe
from services.i18n.labels import decision_words, language, tally_words, vietnam_time

NAMES = {"thanh-hoa.member": "Lê Văn An", "president": "Trần Thị Bình"}
UNITS = {"thanh-hoa.member": "lhh-thanh-hoa", "president": "vusta"}
UNIT_NAMES = {
    "lhh-thanh-hoa": "Liên hiệp Hội tỉnh Thanh Hóa",
    "vusta": "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
}


class KnownPeople:
    """The directory as the record sees it: two people and two units."""

    def full_name(self, username: str) -> str | None:
        return NAMES.get(username)

    def unit_of(self, username: str) -> str | None:
        return UNITS.get(username)

    def unit_name(self, unit_id: str) -> str | None:
        return UNIT_NAMES.get(unit_id)


PEOPLE = KnownPeople()


def facts(kind: str, actor: str = "system", role: str = "system", **data: Any) -> EventFacts:
    return EventFacts(kind, actor, role, data)


def test_a_time_is_shown_in_vietnam_time_with_its_zone() -> None:
    shown = vietnam_time(datetime(2026, 1, 5, 2, 30, 12, tzinfo=UTC))
    assert shown.vi == "05/01/2026 09:30:12 (giờ Việt Nam, UTC+07:00)"
    assert shown.en == "05/01/2026 09:30:12 (Vietnam time, UTC+07:00)"
    assert vietnam_time("2026-01-04T23:00:00+00:00").vi.startswith("05/01/2026 06:00:00")


def test_a_tally_reads_as_words() -> None:
    assert tally_words(6, 0, 0).vi == "6 tán thành, 0 không tán thành, 0 phiếu trắng"
    assert tally_words(4, 1, 1).en == "4 yes, 1 no, 1 abstain"


def test_a_decision_reads_with_its_number_date_and_outcome() -> None:
    said = decision_words("17/QĐ-LHHVN", "2026-01-05", "awarded")
    assert said.vi == "Quyết định số 17/QĐ-LHHVN ngày 05/01/2026: tặng thưởng"
    assert said.en == "Decision No. 17/QĐ-LHHVN of 05/01/2026: awarded"


def test_a_cluster_ballot_names_the_voting_union() -> None:
    said = describe(
        facts(
            "BallotRecorded",
            "thanh-hoa.member",
            "cluster_member",
            stage="cluster",
            voter="lhh-thanh-hoa",
        ),
        PEOPLE,
    )
    assert said.vi == "Liên hiệp Hội tỉnh Thanh Hóa đã bỏ phiếu kín (bình xét cấp Cụm)"
    assert said.en == "Liên hiệp Hội tỉnh Thanh Hóa cast a secret ballot (cluster vote)"


def test_an_actor_is_named_with_role_and_unit_or_by_username_when_unknown() -> None:
    known = actor_words("president", "president", PEOPLE)
    assert known.vi == (
        "Trần Thị Bình (Chủ tịch Liên hiệp Hội Việt Nam,"
        " Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam)"
    )
    assert actor_words("gone.user", "proposer", PEOPLE).en == "gone.user (Proposer)"
    assert actor_words("system", "system", PEOPLE).vi == "Hệ thống"


def test_a_closed_vote_reads_its_tally_and_outcome() -> None:
    said = describe(
        facts(
            "VoteClosed",
            stage="council",
            tally={"yes": 5, "no": 0, "abstain": 0},
            outcome="approved",
        ),
        PEOPLE,
    )
    assert "5 tán thành, 0 không tán thành, 0 phiếu trắng" in said.vi
    assert "{" not in said.vi + said.en


def test_a_decision_event_reads_as_the_decision() -> None:
    said = describe(
        facts(
            "Decided",
            "president",
            "president",
            number="17/QĐ-LHHVN",
            decided_on="2026-01-05",
            outcome="awarded",
            reason="",
        ),
        PEOPLE,
    )
    assert said.vi.startswith("Trần Thị Bình")
    assert said.vi.endswith("đã ký Quyết định số 17/QĐ-LHHVN ngày 05/01/2026: tặng thưởng")


@pytest.mark.parametrize("kind", sorted(CATALOGUE))
def test_every_event_type_has_a_sentence_in_both_languages(kind: str) -> None:
    said = describe(facts(kind, "president", "president"), PEOPLE)
    assert said.vi and said.en and said.vi != said.en
    assert kind not in said.vi  # words, not the class name


def test_an_unknown_event_type_is_named_rather_than_hidden() -> None:
    said = describe(facts("SomethingNew"), PEOPLE)
    assert "SomethingNew" in said.vi and "SomethingNew" in said.en


def test_the_reader_language_is_vietnamese_unless_english_is_asked_for() -> None:
    assert language(None) == "vi"
    assert language("en") == "en"
    assert language(None, "en-GB,en;q=0.9") == "en"
    assert language(None, "fr-FR, vi;q=0.8, en;q=0.5") == "vi"
    assert language("vi", "en") == "vi"
