"""The council session as a story: agenda, attendance, quorum, recusal, written votes, one
list ballot per member, the count judged line by line, and the proposal's side of it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from sealing import ELECTION_KEY, SHARES, rand
from test_proposal import appraised, key

from domain.kernel.actor import Actor, Role
from domain.kernel.errors import DomainError, IllegalTransition
from domain.proposal.states import State
from domain.rulebook.defaults import COUNCIL, FIGHTERS
from domain.rulebook.version import SessionRules
from domain.session.aggregate import CouncilSession
from domain.session.rules import AgendaItem, Attendance
from domain.session.stages import SessionStageError, Stage
from domain.voting.ballot import BallotRule, Base, Outcome, Tally
from domain.voting.list_ballot import decryption_share, seal_list

MEMBERS = [f"council.{n:02d}" for n in range(1, 16)]  # 15 members
SECRETARY = Actor("council.01", Role.COUNCIL_SECRETARY)
CLOSED_AT = datetime(2026, 12, 10, 3, tzinfo=UTC)
RULES = SessionRules()
LINES = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(1, 7)]


def item(proposal_id: str, rule: BallotRule = COUNCIL) -> AgendaItem:
    return AgendaItem(
        proposal_id, "vusta_certificate", "LHH Ninh Bình", "t", "decree-152-2025", rule
    )


def convened(*items: AgendaItem) -> CouncilSession:
    session = CouncilSession.convene(
        id=uuid4(),
        year=2026,
        held_on=date(2026, 12, 10),
        place="Hà Nội",
        members=MEMBERS,
        secretary=SECRETARY.id,
        actor=SECRETARY,
        key=key(),
    )
    for each in items or [item(line) for line in LINES]:
        session.add_item(each, SECRETARY, key())
    return session


def attend(session: CouncilSession, present: int, written: int = 0) -> None:
    for n, member in enumerate(MEMBERS):
        kind = Attendance.PRESENT if n < present else Attendance.ABSENT
        if present <= n < present + written:
            kind = Attendance.WRITTEN
        session.record_attendance(member, kind.value, SECRETARY, key())


def cast(session: CouncilSession, choices: Mapping[str, Mapping[str, str]]) -> list[dict[str, Any]]:
    """Every voter's sealed list (plain choices per line, "yes" where none given)."""
    box = session.box_of_votes()
    entries = []
    for n, voter in enumerate(choices):
        lines = {line: choices[voter].get(line, "yes") for line in box.expected(voter)}
        ballot = seal_list(lines, box.key(), box.context, rand).to_json()
        box.check_ballot(voter, ballot)
        session.record_ballot(voter, Actor(voter, Role.COUNCIL_MEMBER), key())
        entries.append({"receipt": f"{n + 1:064x}", "ballot": ballot})
        box = session.box_of_votes()
    return entries


def count(session: CouncilSession, entries: list[dict[str, Any]]) -> None:
    session.seal_box(entries, "every member voted", CLOSED_AT, SECRETARY, key())
    box = session.box_of_votes()
    for trustee in SHARES[:2]:
        part = decryption_share(trustee, box.encrypted(), box.context, rand).to_json()
        session.submit_share(part, SECRETARY, key())
        box = session.box_of_votes()
    session.count(SECRETARY, key())


def test_rule_quorum_is_two_thirds_of_all_members_present() -> None:
    session = convened()
    attend(session, present=9, written=3)
    assert session.open(RULES, ELECTION_KEY, SECRETARY, key()) is False
    assert session.stage == Stage.PLANNED
    assert session.quorum_checks[-1] == {
        "step": "open",
        "present": 9,
        "needed": 10,
        "met": False,
        "short_lines": [],
    }
    session.record_attendance(MEMBERS[9], "present", SECRETARY, key())
    assert session.open(RULES, ELECTION_KEY, SECRETARY, key()) is True
    assert session.stage == Stage.OPEN


def test_rule_below_quorum_when_voting_opens_the_session_cannot_vote_and_it_is_recorded() -> None:
    session = convened()
    attend(session, present=10)
    session.open(RULES, ELECTION_KEY, SECRETARY, key())
    session.record_attendance(MEMBERS[0], "absent", SECRETARY, key())  # a member leaves
    session.collect_events()
    assert session.open_voting(RULES, SECRETARY, key()) is False
    [event] = session.collect_events()
    assert type(event).__name__ == "QuorumNotReached"
    with pytest.raises(SessionStageError):
        session.record_ballot(MEMBERS[1], SECRETARY, key())
    session.adjourn("không đủ số thành viên", SECRETARY, key())
    assert session.stage == Stage.ADJOURNED


def test_rule_recused_members_count_toward_quorum_by_the_rulebook_setting() -> None:
    session = convened()
    attend(session, present=10)
    session.recuse(MEMBERS[2], LINES[0], "thành viên cùng đơn vị", SECRETARY, key())
    strict = SessionRules(recused_count_toward_quorum=False)
    assert session.open(strict, ELECTION_KEY, SECRETARY, key()) is False
    assert session.quorum_checks[-1]["short_lines"] == [LINES[0]]
    assert session.open(RULES, ELECTION_KEY, SECRETARY, key()) is True


def test_rule_the_agenda_changes_until_the_session_opens() -> None:
    session = convened()
    session.remove_item(LINES[5], "rút khỏi chương trình", SECRETARY, key())
    session.reorder(list(reversed(LINES[:5])), SECRETARY, key())
    assert session.line_ids == list(reversed(LINES[:5]))
    with pytest.raises(DomainError, match="already"):
        session.add_item(item(LINES[0]), SECRETARY, key())
    attend(session, present=11)
    session.open(RULES, ELECTION_KEY, SECRETARY, key())
    with pytest.raises(SessionStageError, match="agenda"):
        session.add_item(item(LINES[5]), SECRETARY, key())


def test_rule_a_recused_member_has_no_line_for_that_nominee_and_is_out_of_its_base() -> None:
    """15 members, 11 present, 2 written votes, 2 absent, 6 lines, one recusal."""
    session = convened()
    attend(session, present=11, written=2)
    session.recuse(
        MEMBERS[3], LINES[2], "đơn vị của mình", Actor(MEMBERS[3], "council_member"), key()
    )
    session.open(RULES, ELECTION_KEY, SECRETARY, key())
    box = session.box_of_votes()
    assert LINES[2] not in box.expected(MEMBERS[3]) and len(box.expected(MEMBERS[3])) == 5
    written = {m: {} for m in MEMBERS[11:13]}
    entries = cast(session, written)  # the written votes go in before the vote
    assert session.open_voting(RULES, SECRETARY, key()) is True
    votes: dict[str, dict[str, str]] = {m: {} for m in MEMBERS[:11]}
    for m in MEMBERS[:4]:
        votes[m] = {LINES[1]: "no"}  # line 2: 13 - 4 = 9 yes of 15: below 7/10
    votes[MEMBERS[4]] = {LINES[3]: "abstain"}
    for n, m in enumerate(cast(session, votes)):
        entries.append({**m, "receipt": f"{n + 100:064x}"})
    count(session, entries)
    assert session.stage == Stage.CLOSED
    assert session.tally(LINES[0]) == Tally(yes=13)
    assert session.outcome(LINES[0]) == Outcome.APPROVED
    assert session.tally(LINES[1]) == Tally(yes=9, no=4)
    assert session.outcome(LINES[1]) == Outcome.REJECTED
    assert session.tally(LINES[2]) == Tally(yes=12)  # the recused member has no line
    assert session.result is not None and session.result[LINES[2]]["base"] == 14
    assert session.outcome(LINES[2]) == Outcome.APPROVED
    assert session.tally(LINES[3]) == Tally(yes=12, abstain=1)


def test_rule_written_votes_count_only_where_the_rule_is_judged_over_all_members() -> None:
    present_rule = BallotRule(quorum="2/3", threshold="1/2", base=Base.PRESENT)
    session = convened(item(LINES[0]), item(LINES[1], present_rule), item(LINES[2], FIGHTERS))
    attend(session, present=10, written=1)
    session.open(RULES, ELECTION_KEY, SECRETARY, key())
    assert session.box_of_votes().expected(MEMBERS[10]) == (LINES[0], LINES[2])


def test_a_member_who_voted_cannot_change_attendance_or_recusal() -> None:
    session = convened()
    attend(session, present=10, written=1)
    session.open(RULES, ELECTION_KEY, SECRETARY, key())
    cast(session, {MEMBERS[10]: {}})
    with pytest.raises(DomainError, match="voted already"):
        session.record_attendance(MEMBERS[10], "absent", SECRETARY, key())
    with pytest.raises(DomainError, match="voted already"):
        session.recuse(MEMBERS[10], LINES[0], "quan hệ", SECRETARY, key())


def test_a_present_member_votes_only_once_voting_opens_a_written_vote_before() -> None:
    session = convened()
    attend(session, present=10, written=1)
    session.open(RULES, ELECTION_KEY, SECRETARY, key())
    with pytest.raises(SessionStageError):
        session.check_cast(MEMBERS[0])
    session.open_voting(RULES, SECRETARY, key())
    with pytest.raises(SessionStageError):
        session.check_cast(MEMBERS[10])


def test_rule_a_proposal_is_on_one_open_session_at_a_time_and_its_line_result_moves_it() -> None:
    proposal = appraised()
    proposal.put_on_agenda("s-1", SECRETARY, key())
    with pytest.raises(DomainError, match="already"):
        proposal.put_on_agenda("s-2", SECRETARY, key())
    with pytest.raises(DomainError, match="not on the agenda"):
        proposal.take_off_agenda("s-2", "", SECRETARY, key())
    proposal.take_off_agenda("s-1", "hoãn", SECRETARY, key())
    proposal.put_on_agenda("s-2", SECRETARY, key())
    proposal.record_session_result(
        "s-2", Tally(yes=12), 14, Outcome.APPROVED, CLOSED_AT, SECRETARY, key()
    )
    assert proposal.state == State.COUNCIL_APPROVED and proposal.agenda_session is None
    assert proposal.council_closed_on() == date(2026, 12, 10)


def test_a_rejected_line_rejects_its_proposal_like_a_council_vote() -> None:
    proposal = appraised()
    proposal.put_on_agenda("s-1", SECRETARY, key())
    proposal.record_session_result(
        "s-1", Tally(yes=9, no=4), 15, Outcome.REJECTED, CLOSED_AT, SECRETARY, key()
    )
    assert proposal.state == State.REJECTED
    assert proposal.closing_reason == "council session: rejected"
    with pytest.raises(IllegalTransition):
        proposal.put_on_agenda("s-2", SECRETARY, key())


def test_the_session_id_is_a_line_id_ready_uuid() -> None:
    assert convened().vote_id.startswith("session-")
    assert UUID(LINES[0])
