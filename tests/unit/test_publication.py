"""Publication of a state-level nominee, complaints in its window, revocation and recovery."""

from __future__ import annotations

from datetime import date

import pytest
from test_proposal import (
    NOW,
    PRESIDENT,
    SECRETARY,
    appraised,
    conference_voted,
    council_approved,
    decide,
    decided,
    forwarded,
    key,
    open_vote,
    record_outcome,
)

from domain.kernel.actor import SYSTEM, Actor, Role
from domain.kernel.calendar import WorkingCalendar
from domain.kernel.errors import DomainError, IllegalTransition, InvalidInput
from domain.proposal.aggregate import Proposal
from domain.proposal.complaints import (
    ComplaintKind,
    ComplaintSource,
    Effect,
    NewComplaint,
    ProposalComplaints,
    Resolution,
)
from domain.proposal.decision import parse_decision_number
from domain.proposal.lifecycle import Step, allowed_steps
from domain.proposal.publication import (
    Publication,
    Recovery,
    RevocationGround,
    check_complaint_window,
    check_window_ended,
    revocation_ground,
    window_end,
)
from domain.proposal.states import TERMINAL, DecisionOutcome, State, VoteStage
from domain.rulebook.defaults import DECREE_152

PUBLISHED_ON = date(2026, 10, 5)  # a Monday
WINDOW_END = date(2026, 10, 19)  # ten working days later
CALENDAR = WorkingCalendar(frozenset(), frozenset())
USER = Actor("thanh-hoa.member", Role.CLUSTER_MEMBER)


def publish(proposal: Proposal, on: date = PUBLISHED_ON, today: date = PUBLISHED_ON) -> None:
    end = window_end(CALENDAR, on, 10)
    found = Publication(on, end, 10, "Cổng thông tin VUSTA", SECRETARY.id)
    proposal.publish(found, today, SECRETARY, key())


def published() -> Proposal:
    proposal = conference_voted()
    proposal.open_appraisal(NOW, SYSTEM, key())
    proposal.approve_appraisal(SECRETARY, key())
    publish(proposal)
    return proposal


def test_the_window_ends_ten_working_days_after_publication() -> None:
    assert window_end(CALENDAR, PUBLISHED_ON, 10) == WINDOW_END
    holiday = WorkingCalendar(frozenset({date(2026, 10, 6)}), frozenset())
    assert window_end(holiday, PUBLISHED_ON, 10) == date(2026, 10, 20)


def test_publishing_an_appraised_nominee_opens_its_window() -> None:
    proposal = published()
    assert proposal.state == State.PUBLISHED
    assert proposal.publication is not None
    assert (proposal.publication.published_on, proposal.publication.window_end) == (
        PUBLISHED_ON,
        WINDOW_END,
    )


def test_rule_publish_only_from_appraised() -> None:
    with pytest.raises(IllegalTransition):
        publish(council_approved())
    assert Step.PUBLISH in allowed_steps(State.APPRAISED)


def test_a_publication_is_not_dated_in_the_future_nor_before_its_year() -> None:
    with pytest.raises(InvalidInput, match="future"):
        publish(appraised(), on=date(2026, 12, 1), today=PUBLISHED_ON)
    with pytest.raises(InvalidInput, match="before emulation year"):
        publish(appraised(), on=date(2025, 12, 1))


def test_rule_publication_window_refuses_the_council_until_the_window_has_ended() -> None:
    proposal = published()
    with pytest.raises(DomainError, match="publication window runs until 2026-10-19"):
        check_window_ended(proposal, WINDOW_END)
    check_window_ended(proposal, date(2026, 10, 20))
    open_vote(proposal, VoteStage.COUNCIL)  # the table allows it from PUBLISHED
    assert proposal.state == State.COUNCIL_VOTING


def test_rule_publication_window_refuses_an_unpublished_state_level_nominee() -> None:
    proposal = conference_voted()  # a Government Flag, published under every version
    with pytest.raises(DomainError, match="must be published"):
        check_window_ended(proposal, PUBLISHED_ON, DECREE_152.publication_forms)
    check_window_ended(decided(), PUBLISHED_ON, DECREE_152.publication_forms)  # a Certificate


def test_complaints_are_received_only_in_the_window() -> None:
    proposal = published()
    check_complaint_window(proposal, None, WINDOW_END)
    with pytest.raises(DomainError, match="ended on 2026-10-19"):
        check_complaint_window(proposal, None, date(2026, 10, 20))
    with pytest.raises(IllegalTransition):
        check_complaint_window(appraised(), None, PUBLISHED_ON)
    proposal.hold("complaint", SYSTEM, key())
    check_complaint_window(proposal, proposal.held_from, WINDOW_END)


def test_an_upheld_complaint_rejects_the_nominee_without_naming_the_complainant() -> None:
    proposal = published()
    proposal.hold("complaint c-1 received in the publication window", SYSTEM, key())
    proposal.uphold_complaint("c-1", "hồ sơ kê khai không trung thực", SECRETARY, key())
    assert proposal.state == State.REJECTED and proposal.state in TERMINAL
    events = proposal.collect_events()
    assert USER.id not in repr(events)


def test_upholding_a_complaint_needs_a_reason() -> None:
    proposal = published()
    with pytest.raises(InvalidInput):
        proposal.uphold_complaint("c-1", " ", SECRETARY, key())


def new_complaint(text: str = "thành tích kê khai chưa đúng") -> NewComplaint:
    return NewComplaint(
        ComplaintKind.COMPLAINT, ComplaintSource.ONLINE, text, USER.id, PUBLISHED_ON
    )


def test_the_first_open_complaint_holds_and_a_dismissal_passes_the_hold_on() -> None:
    complaints = ProposalComplaints.open("p-1", USER, "open")
    assert complaints.lodge(new_complaint(), True, USER, "a") == Effect.HOLD
    assert complaints.lodge(new_complaint("tố cáo"), False, USER, "b") == Effect.NONE
    first, second = (c.id for c in complaints.complaints)
    assert complaints.resolve(first, Resolution.DISMISSED, "không có cơ sở", SECRETARY, "r1") == (
        Effect.NONE
    )
    assert complaints.holder is not None and complaints.holder.id == second
    assert complaints.resolve(second, Resolution.DISMISSED, "không có cơ sở", SECRETARY, "r2") == (
        Effect.RELEASE
    )
    assert complaints.holder is None


def test_an_upheld_complaint_rejects_and_a_repeat_answers_the_same() -> None:
    complaints = ProposalComplaints.open("p-1", USER, "open")
    assert complaints.lodge(new_complaint(), True, USER, "a") == Effect.HOLD
    assert complaints.lodge(new_complaint(), True, USER, "a") == Effect.HOLD
    found = complaints.complaints[0].id
    assert complaints.resolve(found, Resolution.UPHELD, "có cơ sở", SECRETARY, "r") == (
        Effect.REJECT
    )
    assert complaints.resolve(found, Resolution.UPHELD, "có cơ sở", SECRETARY, "r") == (
        Effect.REJECT
    )
    with pytest.raises(DomainError, match="already"):
        complaints.resolve(found, Resolution.DISMISSED, "x", SECRETARY, "r2")


def test_a_complaint_while_another_hold_stands_does_not_hold() -> None:
    complaints = ProposalComplaints.open("p-1", USER, "open")
    assert complaints.lodge(new_complaint(), False, USER, "a") == Effect.NONE
    found = complaints.complaints[0].id
    assert complaints.resolve(found, Resolution.DISMISSED, "x", SECRETARY, "r") == Effect.NONE


# ---- revocation ------------------------------------------------------------------------------


def revoke(proposal: Proposal, number: str = "40/QĐ-LHHVN", on: date = date(2027, 3, 1)) -> None:
    proposal.revoke(
        RevocationGround.FORGED_PAPERS,
        parse_decision_number(number),
        on,
        "giấy chứng nhận sáng kiến bị làm giả",
        5_000_000,
        PRESIDENT,
        key(),
    )


def test_a_revocation_cites_the_award_and_marks_it_for_recovery() -> None:
    proposal = decided()
    revoke(proposal)
    assert proposal.state == State.REVOKED and proposal.is_closed
    revocation = proposal.revocation
    assert revocation is not None
    assert (revocation.cites_number, revocation.cites_date) == ("17/QĐ-LHHVN", date(2026, 11, 21))
    assert revocation.prize_money == 5_000_000
    assert proposal.decision is not None and proposal.decision.awarded  # nothing rewritten


def test_rule_revoke_only_an_award() -> None:
    refused = council_approved()
    decide(refused, outcome=DecisionOutcome.REJECTED)
    with pytest.raises(IllegalTransition, match="only an award"):
        revoke(refused)
    with pytest.raises(IllegalTransition):
        revoke(council_approved())


def test_an_externally_decided_award_is_revoked_citing_the_state_body_decision() -> None:
    proposal = forwarded()
    record_outcome(proposal)
    revoke(proposal, "41/QĐ-LHHVN")
    assert proposal.revocation is not None
    assert proposal.revocation.cites_number == "123/QĐ-TTg"


def test_a_revocation_needs_its_own_number_and_a_date_after_the_award() -> None:
    with pytest.raises(InvalidInput, match="number of its own"):
        revoke(decided(), "17/QĐ-LHHVN")
    with pytest.raises(InvalidInput, match="before the award"):
        revoke(decided(), on=date(2026, 11, 1))


def test_a_revocation_ground_is_one_of_article_93() -> None:
    assert revocation_ground("unlawful_review") == RevocationGround.UNLAWFUL_REVIEW
    with pytest.raises(InvalidInput, match="Art 93"):
        revocation_ground("dislike")


def test_the_recovery_is_recorded_once_within_what_was_marked() -> None:
    proposal = decided()
    with pytest.raises(IllegalTransition):
        proposal.record_recovery(Recovery(date(2027, 3, 5), True, 0, "", "s"), SECRETARY, key())
    revoke(proposal)
    with pytest.raises(InvalidInput, match="between 0 and the 5000000"):
        proposal.record_recovery(
            Recovery(date(2027, 3, 5), True, 6_000_000, "", "s"), SECRETARY, key()
        )
    recovered = Recovery(date(2027, 3, 5), True, 5_000_000, "đã nộp lại", SECRETARY.id)
    proposal.record_recovery(recovered, SECRETARY, key())
    assert proposal.recovery == recovered and proposal.state == State.REVOKED
    with pytest.raises(DomainError, match="recorded on 2027-03-05"):
        proposal.record_recovery(recovered, SECRETARY, key())
