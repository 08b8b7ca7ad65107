"""How each event changes a proposal's list row, without the aggregate."""

from __future__ import annotations

from typing import Any

from sealing import ELECTION_KEY
from test_proposal import CLUSTER, NOW, PROPOSER, SECRETARY, nominate, submitted

from domain.kernel.actor import SYSTEM
from domain.proposal.aggregate import Proposal
from domain.proposal.states import VoteStage
from services.projections.proposal_rows import ProposalRow, apply, storable


def _fold(proposal: Proposal) -> ProposalRow | None:
    row: ProposalRow | None = None
    for event in proposal.collect_events():
        row = apply(row, event)
    return row


def test_text_postgresql_cannot_hold_is_shown_as_its_symbol() -> None:
    assert storable("x\x00y") == "x\u2400y"
    assert storable("Lê\ud800") == "Lê?"
    assert storable("Cờ thi đua") == "Cờ thi đua"


def test_a_nul_in_the_title_is_escaped_not_fatal() -> None:
    row = _fold(nominate(title="x\x00"))
    assert row is not None and row.title == "x\u2400" and row.state == "draft"


def test_a_hold_and_release_keep_the_vote_being_counted() -> None:
    proposal = submitted()
    proposal.open_vote(VoteStage.CLUSTER, CLUSTER, {}, NOW, ELECTION_KEY, SYSTEM, "o")
    proposal.record_ballot(VoteStage.CLUSTER, CLUSTER[0], PROPOSER, "b")
    row = _fold(proposal)
    assert row is not None and row.voted == [CLUSTER[0]] and row.electorate == CLUSTER
    proposal.hold("khiếu nại", SECRETARY, "h")
    proposal.release("xong", SECRETARY, "r")
    for event in proposal.collect_events():
        row = apply(row, event)
    assert row is not None and row.state == "cluster_voting" and not row.counting


def test_an_event_applied_twice_changes_nothing() -> None:
    proposal = submitted()
    events: list[Any] = list(proposal.collect_events())
    row = None
    for event in events + events[1:]:
        row = apply(row, event)
    assert row is not None and row.state == "submitted" and row.version == proposal.version


def test_an_event_of_no_listed_proposal_is_passed_over() -> None:
    _nominated, *rest = list(submitted().collect_events())
    assert all(apply(None, event) is None for event in rest)
