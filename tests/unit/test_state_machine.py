"""The proposal's state machine as pure rules: the table, the guards and the pages' view of it."""

from __future__ import annotations

import pytest

from domain.kernel.errors import IllegalTransition, InvalidInput
from domain.proposal.lifecycle import (
    ALLOWED,
    Step,
    VoteFacts,
    allowed_steps,
    check,
    check_ballot_box,
    check_close,
    check_open_appraisal,
    check_share,
    submit_step,
)
from domain.proposal.states import TERMINAL, State, VoteStage


def test_every_step_has_a_row_in_the_table() -> None:
    assert set(ALLOWED) == set(Step)


@pytest.mark.parametrize("state", sorted(TERMINAL))
def test_a_closed_proposal_allows_no_step_but_the_revocation_of_an_award(state: State) -> None:
    after = {
        State.DECIDED: [Step.REVOKE],
        State.EXTERNALLY_DECIDED: [Step.REVOKE],
        State.REVOKED: [Step.RECORD_RECOVERY],
    }
    assert allowed_steps(state, forwarded=state == State.EXTERNALLY_DECIDED) == after.get(state, [])


def test_a_draft_can_be_completed_submitted_or_withdrawn() -> None:
    assert allowed_steps(State.DRAFT) == [
        Step.ATTACH_DOCUMENT,
        Step.SUBMIT,
        Step.WITHDRAW,
        Step.RECORD_CONFERENCE_VOTE,
    ]


def test_a_refusal_names_the_state_and_the_steps_english_phrase() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check(Step.DECIDE, State.APPRAISAL)
    assert (refused.value.state, refused.value.step) == (State.APPRAISAL, "decide")


def test_a_step_on_hold_is_refused_until_release() -> None:
    with pytest.raises(IllegalTransition, match="on hold until released"):
        check(Step.CLUSTER_BALLOT, State.ON_HOLD)


@pytest.mark.parametrize("step", [Step.HOLD, Step.RETURN])
def test_hold_and_return_need_a_reason(step: Step) -> None:
    state = State.APPRAISAL
    with pytest.raises(InvalidInput, match="reason is required"):
        check(step, state, "  ")
    check(step, state, "thiếu hồ sơ")


def test_a_returned_dossier_is_resubmitted() -> None:
    assert submit_step(State.RETURNED) == Step.RESUBMIT
    assert submit_step(State.DRAFT) == Step.SUBMIT
    with pytest.raises(IllegalTransition, match="resubmitted instead"):
        check(Step.SUBMIT, State.RETURNED)


def test_a_sealed_box_takes_no_ballot() -> None:
    with pytest.raises(IllegalTransition, match="the ballot box is sealed"):
        check_ballot_box(State.CLUSTER_VOTING, VoteFacts(VoteStage.CLUSTER, sealed=True))
    check_ballot_box(State.CLUSTER_VOTING, VoteFacts(VoteStage.CLUSTER, sealed=False))


def test_a_share_needs_a_sealed_box_that_still_needs_shares() -> None:
    state = State.COUNCIL_VOTING
    with pytest.raises(IllegalTransition, match="not sealed"):
        check_share(state, VoteFacts(VoteStage.COUNCIL, sealed=False))
    with pytest.raises(IllegalTransition, match="is counted"):
        check_share(state, VoteFacts(VoteStage.COUNCIL, sealed=True, shares_missing=0))
    check_share(state, VoteFacts(VoteStage.COUNCIL, sealed=True, shares_missing=1))


def test_a_vote_closes_only_when_counted() -> None:
    with pytest.raises(IllegalTransition, match="needs 2 more trustee share"):
        check_close(State.CLUSTER_VOTING, VoteFacts(VoteStage.CLUSTER, True, shares_missing=2))
    check_close(State.CLUSTER_VOTING, VoteFacts(VoteStage.CLUSTER, True, shares_missing=0))


def test_the_appraisal_waits_for_the_cluster_vote_where_the_form_has_one() -> None:
    with pytest.raises(IllegalTransition, match="the cluster vote comes first"):
        check_open_appraisal(State.SUBMITTED, cluster_vote_required=True, cluster_approved=False)
    check_open_appraisal(State.SUBMITTED, cluster_vote_required=False, cluster_approved=False)
