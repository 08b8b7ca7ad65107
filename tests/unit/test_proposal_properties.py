"""Property: any sequence of commands leaves a proposal consistent, and refusals change nothing."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sealing import ELECTION_KEY, SHARES, box, share
from test_proposal import CLUSTER, COUNCIL, NOW, PRESIDENT, PROPOSER, SECRETARY, attach, draft

from domain.kernel.actor import SYSTEM
from domain.kernel.errors import DomainError, InvalidInput
from domain.proposal.aggregate import VIETNAM, Proposal
from domain.proposal.decision import parse_decision_number
from domain.proposal.states import TERMINAL, DecisionOutcome, State, VoteStage

Command = Callable[[Proposal, str], None]


def _seal(stage: VoteStage, choice: str) -> Command:
    def act(p: Proposal, key: str) -> None:
        voted = p.votes[stage].voted if stage in p.votes else ()
        p.seal_box(stage, box(p, stage, *[choice] * len(voted)), "x", NOW, SYSTEM, key)

    return act


def _share(stage: VoteStage, trustee: int) -> Command:
    def act(p: Proposal, key: str) -> None:
        vote = p.votes.get(stage)
        # A share of the sealed totals, or (before sealing) of nothing: refused either way.
        given = share(p, stage, SHARES[trustee]) if vote and vote.box is not None else {}
        p.submit_share(stage, given, SECRETARY, key)

    return act


def _ballot(stage: VoteStage, index: int) -> Command:
    def act(p: Proposal, key: str) -> None:
        electorate = CLUSTER if stage == VoteStage.CLUSTER else COUNCIL
        p.record_ballot(stage, electorate[index % len(electorate)], PROPOSER, key)

    return act


COMMANDS: dict[str, Command] = {
    "attach_letter": lambda p, k: attach(p, "request_letter", f"l{k}"),
    "attach_report": lambda p, k: attach(p, "achievement_report", f"r{k}"),
    "submit": lambda p, k: p.submit(PROPOSER, k),
    "resubmit": lambda p, k: p.resubmit(PROPOSER, k),
    "open_cluster": lambda p, k: p.open_vote(
        VoteStage.CLUSTER, CLUSTER, {}, NOW, ELECTION_KEY, SYSTEM, k
    ),
    "cluster_ballot_0": _ballot(VoteStage.CLUSTER, 0),
    "cluster_ballot_1": _ballot(VoteStage.CLUSTER, 1),
    "cluster_ballot_2": _ballot(VoteStage.CLUSTER, 2),
    "seal_cluster_yes": _seal(VoteStage.CLUSTER, "yes"),
    "seal_cluster_no": _seal(VoteStage.CLUSTER, "no"),
    "cluster_share_1": _share(VoteStage.CLUSTER, 0),
    "cluster_share_2": _share(VoteStage.CLUSTER, 1),
    "close_cluster": lambda p, k: p.close_vote(VoteStage.CLUSTER, SYSTEM, k),
    "open_appraisal": lambda p, k: p.open_appraisal(NOW, SYSTEM, k),
    "approve": lambda p, k: p.approve_appraisal(SECRETARY, k),
    "return": lambda p, k: p.return_for_supplements("bổ sung", SECRETARY, k),
    "open_council": lambda p, k: p.open_vote(
        VoteStage.COUNCIL, COUNCIL, {}, NOW, ELECTION_KEY, SYSTEM, k
    ),
    "council_ballot_0": _ballot(VoteStage.COUNCIL, 0),
    "council_ballot_1": _ballot(VoteStage.COUNCIL, 1),
    "council_ballot_2": _ballot(VoteStage.COUNCIL, 2),
    "seal_council_yes": _seal(VoteStage.COUNCIL, "yes"),
    "council_share_2": _share(VoteStage.COUNCIL, 1),
    "council_share_3": _share(VoteStage.COUNCIL, 2),
    "close_council": lambda p, k: p.close_vote(VoteStage.COUNCIL, SYSTEM, k),
    "decide": lambda p, k: p.decide(
        DecisionOutcome.AWARDED,
        parse_decision_number("17/QĐ-LHHVN"),
        date(2026, 12, 1),
        "",
        PRESIDENT,
        k,
    ),
    "hold": lambda p, k: p.hold("khiếu nại", SECRETARY, k),
    "release": lambda p, k: p.release("xong", SECRETARY, k),
    "withdraw": lambda p, k: p.withdraw("rút", PROPOSER, k),
    "miss_appraisal": lambda p, k: p.miss_deadline("appraisal", NOW, SYSTEM, k),
}


def _copy(value: Any) -> Any:
    # A deep copy; pickling is several times faster than copy.deepcopy on sealed boxes.
    return pickle.loads(pickle.dumps(value))


def _allowed(proposal: Proposal, step: int) -> list[str]:
    allowed = []
    for name in sorted(COMMANDS):
        if name in ("withdraw", "hold"):  # allowed almost always; they would end most walks
            continue
        trial = _copy(proposal)
        try:
            COMMANDS[name](trial, f"probe-{step}")
        except DomainError:
            continue
        allowed.append(name)
    return allowed


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_sequence_of_commands_keeps_the_proposal_consistent(data: st.DataObject) -> None:
    proposal = draft()
    history = list(proposal.collect_events())
    for step in range(data.draw(st.integers(min_value=0, max_value=40))):
        # Mostly steps the proposal allows (so walks reach deep states), sometimes any step.
        allowed = _allowed(proposal, step)
        pool = allowed if allowed and data.draw(st.integers(0, 9)) < 8 else sorted(COMMANDS)
        name = data.draw(st.sampled_from(pool))
        before = _copy(vars(proposal))
        was_terminal = proposal.state in TERMINAL
        try:
            COMMANDS[name](proposal, f"step-{step}")
        except DomainError:
            assert vars(proposal) == before  # a refused command changes nothing
            continue
        history.extend(proposal.collect_events())
        assert not was_terminal, f"{name} changed a closed proposal"
        assert State(proposal.state)
        for vote in proposal.votes.values():
            assert len(set(vote.voted)) == len(vote.voted) <= len(vote.electorate)
    rebuilt = None
    for event in history:
        rebuilt = event.mutate(rebuilt)  # type: ignore[attr-defined]
    assert rebuilt is not None and vars(rebuilt) == vars(proposal)


def test_a_vote_cannot_open_with_a_rule_no_close_could_apply() -> None:
    proposal = draft()
    attach(proposal, "request_letter")
    attach(proposal, "achievement_report")
    proposal.submit(PROPOSER, "s")
    for rule in ({"quorum": "abc"}, {"quorom": "2/3"}):
        with pytest.raises(InvalidInput):
            proposal.open_vote(VoteStage.CLUSTER, CLUSTER, rule, NOW, ELECTION_KEY, SYSTEM, "o")
    with pytest.raises(InvalidInput, match="twice"):
        proposal.open_vote(VoteStage.CLUSTER, ["a", "a"], {}, NOW, ELECTION_KEY, SYSTEM, "o")
    assert proposal.state == State.SUBMITTED


def test_the_council_closing_day_is_the_day_in_vietnam() -> None:
    late = datetime(2026, 11, 20, 18, tzinfo=UTC)  # 01:00 on the 21st in Hà Nội
    assert late.astimezone(VIETNAM).date() == date(2026, 11, 21)
    proposal = draft("vusta_medal")
    attach(proposal, "request_letter")
    attach(proposal, "achievement_report")
    proposal.submit(PROPOSER, "s")
    proposal.open_appraisal(NOW, SYSTEM, "a")
    proposal.approve_appraisal(SECRETARY, "b")
    proposal.open_vote(VoteStage.COUNCIL, COUNCIL, {}, NOW, ELECTION_KEY, SYSTEM, "c")
    for voter in COUNCIL:
        proposal.record_ballot(VoteStage.COUNCIL, voter, PROPOSER, f"v{voter}")
    ballots = box(proposal, VoteStage.COUNCIL, "yes", "yes", "yes")
    proposal.seal_box(VoteStage.COUNCIL, ballots, "x", late, SYSTEM, "d")
    for n, trustee in enumerate(SHARES[:2]):
        given = share(proposal, VoteStage.COUNCIL, trustee)
        proposal.submit_share(VoteStage.COUNCIL, given, SYSTEM, f"s{n}")
    proposal.close_vote(VoteStage.COUNCIL, SYSTEM, "e")
    assert proposal.council_closed_on() == date(2026, 11, 21)
