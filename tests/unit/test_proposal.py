"""The proposal aggregate, walked through as a story: every transition and every illegal one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from eventsourcing.domain import DomainEvent

from domain.actor import SYSTEM, Actor
from domain.ballot import Outcome
from domain.decision import parse_decision_number
from domain.errors import BallotError, DomainError, IllegalTransition, InvalidInput
from domain.forms import find_form
from domain.proposal import Proposal
from domain.states import DecisionOutcome, State, VoteStage

PROPOSER = Actor("ninh-binh.proposer", "proposer")
SECRETARY = Actor("vusta.secretary", "council_secretary")
PRESIDENT = Actor("president", "president")
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
CLUSTER = ["lhh-thanh-hoa", "lhh-nghe-an", "lhh-ha-tinh"]
COUNCIL = ["council.1", "council.2", "council.3"]
_keys = iter(range(1_000_000))


def key() -> str:
    return f"k{next(_keys)}"


def draft(form: str = "vusta_flag") -> Proposal:
    nominee = {"kind": "collective", "name": "LHH Ninh Bình", "unit_id": "lhh-ninh-binh"}
    if form == "vusta_medal":
        nominee = {"kind": "individual", "name": "Nguyễn Văn An"}
    return Proposal.nominate(
        id=UUID(int=next(_keys)),
        form=find_form(form),
        year=2026,
        proposing_unit="lhh-ninh-binh",
        cluster="cum-4",
        nominee=nominee,
        title="Cờ thi đua 2026",
        summary="Dẫn đầu Cụm 4",
        actor=PROPOSER,
        key=key(),
    )


def attach(proposal: Proposal, kind: str, sha: str = "") -> None:
    document = {
        "name": f"{kind}.pdf",
        "media_type": "application/pdf",
        "sha256": sha or f"{kind}-{proposal.dossier_version}",
        "size": 10,
        "kind": kind,
    }
    proposal.attach_document(document, PROPOSER, key())


def submitted(form: str = "vusta_flag") -> Proposal:
    proposal = draft(form)
    attach(proposal, "request_letter")
    attach(proposal, "achievement_report")
    proposal.submit(PROPOSER, key())
    return proposal


def open_vote(proposal: Proposal, stage: VoteStage, electorate: list[str]) -> None:
    proposal.open_vote(stage, electorate, {"quorum": "2/3"}, NOW, SYSTEM, key())


def box(*choices: str) -> list[dict[str, str]]:
    return [{"receipt": f"{n:064x}", "choice": choice} for n, choice in enumerate(choices)]


def vote_all(proposal: Proposal, stage: VoteStage, choice: str = "yes") -> None:
    electorate = proposal.votes[stage]["electorate"]
    for voter in electorate:
        proposal.record_ballot(stage, voter, Actor(voter, "member"), key())
    ballots = box(*[choice] * len(electorate))
    proposal.close_vote(stage, ballots, "every member voted", NOW, SYSTEM, key())


def cluster_voting() -> Proposal:
    proposal = submitted()
    open_vote(proposal, VoteStage.CLUSTER, CLUSTER)
    return proposal


def cluster_approved() -> Proposal:
    proposal = cluster_voting()
    vote_all(proposal, VoteStage.CLUSTER)
    return proposal


def appraisal() -> Proposal:
    proposal = cluster_approved()
    proposal.open_appraisal(NOW, SYSTEM, key())
    return proposal


def returned() -> Proposal:
    proposal = appraisal()
    proposal.return_for_supplements("thiếu biên bản", SECRETARY, key())
    return proposal


def appraised() -> Proposal:
    proposal = appraisal()
    proposal.approve_appraisal(SECRETARY, key())
    return proposal


def council_voting() -> Proposal:
    proposal = appraised()
    open_vote(proposal, VoteStage.COUNCIL, COUNCIL)
    return proposal


def council_approved() -> Proposal:
    proposal = council_voting()
    vote_all(proposal, VoteStage.COUNCIL)
    return proposal


def decided() -> Proposal:
    proposal = council_approved()
    proposal.decide(
        DecisionOutcome.AWARDED,
        parse_decision_number("17/QĐ-LHHVN"),
        date(2026, 11, 21),
        "",
        PRESIDENT,
        key(),
    )
    return proposal


def rejected() -> Proposal:
    proposal = cluster_voting()
    vote_all(proposal, VoteStage.CLUSTER, "no")
    return proposal


def withdrawn() -> Proposal:
    proposal = draft()
    proposal.withdraw("đổi ý", PROPOSER, key())
    return proposal


def on_hold() -> Proposal:
    proposal = appraisal()
    proposal.hold("đang xác minh khiếu nại", SECRETARY, key())
    return proposal


BUILDERS: dict[State, Callable[[], Proposal]] = {
    State.DRAFT: draft,
    State.SUBMITTED: submitted,
    State.CLUSTER_VOTING: cluster_voting,
    State.CLUSTER_APPROVED: cluster_approved,
    State.APPRAISAL: appraisal,
    State.RETURNED: returned,
    State.APPRAISED: appraised,
    State.COUNCIL_VOTING: council_voting,
    State.COUNCIL_APPROVED: council_approved,
    State.DECIDED: decided,
    State.REJECTED: rejected,
    State.WITHDRAWN: withdrawn,
    State.ON_HOLD: on_hold,
}

STEPS: dict[str, tuple[set[State], Callable[[Proposal], None]]] = {
    "submit": ({State.DRAFT}, lambda p: p.submit(PROPOSER, key())),
    "resubmit": ({State.RETURNED}, lambda p: p.resubmit(PROPOSER, key())),
    "open the cluster vote on": (
        {State.SUBMITTED},
        lambda p: open_vote(p, VoteStage.CLUSTER, CLUSTER),
    ),
    "vote in the cluster vote on": (
        {State.CLUSTER_VOTING},
        lambda p: p.record_ballot(VoteStage.CLUSTER, CLUSTER[0], PROPOSER, key()),
    ),
    "open the appraisal of": (
        {State.CLUSTER_APPROVED},
        lambda p: p.open_appraisal(NOW, SYSTEM, key()),
    ),
    "approve the appraisal of": (
        {State.APPRAISAL},
        lambda p: p.approve_appraisal(SECRETARY, key()),
    ),
    "return": ({State.APPRAISAL}, lambda p: p.return_for_supplements("x", SECRETARY, key())),
    "open the council vote on": (
        {State.APPRAISED},
        lambda p: open_vote(p, VoteStage.COUNCIL, COUNCIL),
    ),
    "vote in the council vote on": (
        {State.COUNCIL_VOTING},
        lambda p: p.record_ballot(VoteStage.COUNCIL, COUNCIL[0], PROPOSER, key()),
    ),
    "decide": (
        {State.COUNCIL_APPROVED},
        lambda p: p.decide(
            DecisionOutcome.AWARDED,
            parse_decision_number("18/QĐ-LHHVN"),
            date(2026, 11, 21),
            "",
            PRESIDENT,
            key(),
        ),
    ),
    "release": ({State.ON_HOLD}, lambda p: p.release("ok", SECRETARY, key())),
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_is_refused_in_every_state_that_does_not_allow_it(
    state: State, step: str
) -> None:
    allowed, act = STEPS[step]
    proposal = BUILDERS[state]()
    assert proposal.state == state
    if state in allowed:
        try:
            act(proposal)
        except IllegalTransition:  # pragma: no cover - the assertion below explains
            pytest.fail(f"{step} should be allowed in {state}")
        except DomainError:
            pass  # allowed in this state; refused for another reason (e.g. missing documents)
        return
    with pytest.raises(IllegalTransition) as refused:
        act(proposal)
    assert refused.value.state == state
    assert state.value in str(refused.value) and step in str(refused.value)


@pytest.mark.parametrize(
    "state", [s for s in State if s not in (State.DECIDED, State.REJECTED, State.WITHDRAWN)]
)
def test_withdrawal_is_possible_from_every_open_state(state: State) -> None:
    proposal = BUILDERS[state]()
    proposal.withdraw("rút", PROPOSER, key())
    assert proposal.state == State.WITHDRAWN


@pytest.mark.parametrize("state", [State.DECIDED, State.REJECTED, State.WITHDRAWN])
def test_a_closed_proposal_cannot_be_withdrawn_or_held(state: State) -> None:
    proposal = BUILDERS[state]()
    with pytest.raises(IllegalTransition):
        proposal.withdraw("rút", PROPOSER, key())
    with pytest.raises(IllegalTransition):
        proposal.hold("x", SECRETARY, key())


def events_of(proposal: Proposal) -> list[DomainEvent]:
    return [e for e in proposal.collect_events() if isinstance(e, DomainEvent)]


def test_the_whole_story_is_recorded_as_events_with_actor_role_and_key() -> None:
    proposal = decided()
    events = events_of(proposal)
    names = [type(e).__name__ for e in events]
    assert names[0] == "Nominated" and names[-1] == "Decided"
    assert names.count("BallotRecorded") == len(CLUSTER) + len(COUNCIL)
    for event in events:
        assert event.actor_id and event.actor_role and event.key  # type: ignore[attr-defined]
    assert proposal.decision == {
        "outcome": "awarded",
        "number": "17/QĐ-LHHVN",
        "decided_on": "2026-11-21",
        "reason": "",
        "by": "president",
    }
    assert proposal.is_closed


def test_a_ballot_event_names_the_voter_but_carries_no_choice() -> None:
    proposal = cluster_voting()
    proposal.record_ballot(VoteStage.CLUSTER, CLUSTER[0], PROPOSER, key())
    ballot = events_of(proposal)[-1]
    data = vars(ballot)
    assert data["voter"] == CLUSTER[0]
    assert not {"choice", "yes", "no", "abstain"} & set(data)


def test_submission_refuses_an_incomplete_dossier() -> None:
    proposal = draft()
    attach(proposal, "request_letter")
    with pytest.raises(DomainError, match="achievement_report"):
        proposal.submit(PROPOSER, key())
    assert proposal.state == State.DRAFT


def test_the_dossier_is_locked_once_submitted() -> None:
    with pytest.raises(IllegalTransition):
        attach(submitted(), "supplement")


def test_an_empty_document_is_refused() -> None:
    proposal = draft()
    with pytest.raises(InvalidInput):
        proposal.attach_document(
            {
                "name": "a",
                "media_type": "application/pdf",
                "sha256": "x",
                "kind": "other",
                "size": 0,
            },
            PROPOSER,
            key(),
        )


def test_a_returned_dossier_takes_supplements_as_version_two() -> None:
    proposal = returned()
    assert proposal.returns[0]["reason"] == "thiếu biên bản"
    assert proposal.dossier_version == 2
    with pytest.raises(DomainError, match="supplementary document"):
        proposal.resubmit(PROPOSER, key())
    attach(proposal, "review_minutes")
    proposal.resubmit(PROPOSER, key())
    assert proposal.state == State.SUBMITTED
    assert [d["dossier_version"] for d in proposal.documents] == [1, 1, 2]
    proposal.open_appraisal(NOW, SYSTEM, key())  # the cluster's approval stands
    assert proposal.state == State.APPRAISAL


def test_a_return_needs_a_reason() -> None:
    with pytest.raises(InvalidInput):
        appraisal().return_for_supplements("  ", SECRETARY, key())


def test_a_form_with_a_cluster_vote_cannot_skip_it() -> None:
    with pytest.raises(IllegalTransition, match="cluster vote comes first"):
        submitted().open_appraisal(NOW, SYSTEM, key())


def test_a_form_without_a_cluster_vote_goes_straight_to_appraisal() -> None:
    proposal = submitted("vusta_medal")
    with pytest.raises(DomainError):
        open_vote(proposal, VoteStage.CLUSTER, CLUSTER)
    proposal.open_appraisal(NOW, SYSTEM, key())
    assert proposal.state == State.APPRAISAL


def test_an_individual_cannot_be_nominated_for_the_flag() -> None:
    with pytest.raises(InvalidInput, match="collective"):
        Proposal.nominate(
            id=UUID(int=1),
            form=find_form("vusta_flag"),
            year=2026,
            proposing_unit="u",
            cluster="c",
            nominee={"kind": "individual", "name": "A"},
            title="t",
            summary="",
            actor=PROPOSER,
            key=key(),
        )


def test_a_second_ballot_and_a_stranger_ballot_are_refused() -> None:
    proposal = cluster_voting()
    proposal.record_ballot(VoteStage.CLUSTER, CLUSTER[0], PROPOSER, key())
    with pytest.raises(BallotError, match="already voted"):
        proposal.record_ballot(VoteStage.CLUSTER, CLUSTER[0], PROPOSER, key())
    with pytest.raises(BallotError, match="electorate"):
        proposal.record_ballot(VoteStage.CLUSTER, "lhh-ninh-binh", PROPOSER, key())


def test_the_ballot_box_must_hold_one_ballot_per_recorded_voter() -> None:
    proposal = cluster_voting()
    proposal.record_ballot(VoteStage.CLUSTER, CLUSTER[0], PROPOSER, key())
    with pytest.raises(BallotError, match="2 ballots"):
        proposal.close_vote(VoteStage.CLUSTER, box("yes", "yes"), "x", NOW, SYSTEM, key())
    duplicate = box("yes") + box("no")[:1]
    proposal.record_ballot(VoteStage.CLUSTER, CLUSTER[1], PROPOSER, key())
    with pytest.raises(BallotError, match="own receipt"):
        proposal.close_vote(VoteStage.CLUSTER, duplicate, "x", NOW, SYSTEM, key())


@pytest.mark.parametrize(
    ("choices", "outcome"),
    [(("no", "no", "yes"), Outcome.REJECTED), (("yes",), Outcome.NO_QUORUM)],
)
def test_a_failed_vote_rejects_the_proposal(choices: tuple[str, ...], outcome: Outcome) -> None:
    proposal = cluster_voting()
    for voter in CLUSTER[: len(choices)]:
        proposal.record_ballot(VoteStage.CLUSTER, voter, PROPOSER, key())
    proposal.close_vote(VoteStage.CLUSTER, box(*choices), "deadline passed", NOW, SYSTEM, key())
    assert proposal.state == State.REJECTED
    assert proposal.closing_reason == f"cluster vote: {outcome.value}"
    assert proposal.votes["cluster"]["result"]["outcome"] == outcome


def test_the_outcome_follows_from_the_box_not_from_the_caller() -> None:
    proposal = cluster_voting()
    for voter in CLUSTER:
        proposal.record_ballot(VoteStage.CLUSTER, voter, PROPOSER, key())
    proposal.close_vote(VoteStage.CLUSTER, box("yes", "yes", "no"), "x", NOW, SYSTEM, key())
    assert proposal.state == State.CLUSTER_APPROVED
    assert proposal.votes["cluster"]["result"]["tally"] == {"yes": 2, "no": 1, "abstain": 0}


def test_the_box_is_stored_sorted_by_receipt_whatever_the_order_of_voting() -> None:
    proposal = cluster_voting()
    for voter in CLUSTER:
        proposal.record_ballot(VoteStage.CLUSTER, voter, PROPOSER, key())
    ballots = list(reversed(box("yes", "no", "abstain")))
    proposal.close_vote(VoteStage.CLUSTER, ballots, "x", NOW, SYSTEM, key())
    stored = proposal.votes["cluster"]["box"]
    assert [b["receipt"] for b in stored] == sorted(b["receipt"] for b in ballots)


def test_hold_and_release_return_to_the_previous_state() -> None:
    proposal = council_voting()
    proposal.hold("khiếu nại", SECRETARY, key())
    assert (proposal.state, proposal.held_from) == (State.ON_HOLD, State.COUNCIL_VOTING)
    proposal.release("đã xác minh", SECRETARY, key())
    assert (proposal.state, proposal.held_from) == (State.COUNCIL_VOTING, None)


def test_hold_needs_a_reason() -> None:
    with pytest.raises(InvalidInput):
        appraisal().hold(" ", SECRETARY, key())


def test_a_missed_appraisal_deadline_flags_it_overdue() -> None:
    proposal = appraisal()
    proposal.miss_deadline("appraisal", NOW, SYSTEM, key())
    assert proposal.appraisal["overdue"] is True
    assert proposal.state == State.APPRAISAL
    with pytest.raises(IllegalTransition):
        proposal.miss_deadline("cluster_vote", NOW, SYSTEM, key())


def test_a_decision_may_not_predate_the_council_vote() -> None:
    proposal = council_approved()  # the council closed on 2026-11-20
    with pytest.raises(InvalidInput, match="before the council vote"):
        proposal.decide(
            DecisionOutcome.AWARDED,
            parse_decision_number("17/QĐ-LHHVN"),
            date(2026, 11, 19),
            "",
            PRESIDENT,
            key(),
        )


def test_a_decision_is_dated_in_the_emulation_year_or_the_next() -> None:
    with pytest.raises(InvalidInput, match="dated"):
        council_approved().decide(
            DecisionOutcome.AWARDED,
            parse_decision_number("17/QĐ-LHHVN"),
            date(2029, 1, 5),
            "",
            PRESIDENT,
            key(),
        )


def test_step_keys_are_remembered() -> None:
    proposal = draft()
    attach(proposal, "request_letter")
    assert len(proposal.step_keys) == 2 and proposal.has_step(proposal.step_keys[1])
    assert not proposal.has_step("unknown")


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    original = decided()
    events = events_of(original)
    rebuilt: Proposal | None = None
    for event in events:
        rebuilt = event.mutate(rebuilt)  # type: ignore[arg-type]
    assert rebuilt is not None
    assert vars(rebuilt) == vars(original)
