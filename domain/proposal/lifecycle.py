"""The proposal state machine: which step each state allows, and the few guards beyond it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.kernel.errors import IllegalTransition, InvalidInput
from domain.proposal.states import EDITABLE, TERMINAL, State, VoteStage


class Step(StrEnum):
    """A step on a proposal; its value is the short English verb phrase an error message uses."""

    ATTACH_DOCUMENT = "attach a document to"
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    OPEN_CLUSTER_VOTE = "open the cluster vote on"
    OPEN_COUNCIL_VOTE = "open the council vote on"
    CLUSTER_BALLOT = "vote in the cluster vote on"
    COUNCIL_BALLOT = "vote in the council vote on"
    CLOSE_CLUSTER_VOTE = "close the cluster vote on"
    CLOSE_COUNCIL_VOTE = "close the council vote on"
    COUNT_CLUSTER_VOTE = "count the cluster vote on"
    COUNT_COUNCIL_VOTE = "count the council vote on"
    OPEN_APPRAISAL = "open the appraisal of"
    APPROVE_APPRAISAL = "approve the appraisal of"
    RETURN = "return"
    MISS_CLUSTER_VOTE_DEADLINE = "miss the cluster_vote deadline of"
    MISS_APPRAISAL_DEADLINE = "miss the appraisal deadline of"
    MISS_COUNCIL_VOTE_DEADLINE = "miss the council_vote deadline of"
    HOLD = "put on hold"
    RELEASE = "release"
    WITHDRAW = "withdraw"
    DECIDE = "decide"
    RECORD_CONFERENCE_VOTE = "record the conference vote on"
    FORWARD = "forward"
    RECORD_EXTERNAL_OUTCOME = "record the external outcome of"
    MISS_EXTERNAL_OUTCOME_DEADLINE = "miss the external_outcome deadline of"
    # --- publish ---
    PUBLISH = "publish"
    UPHOLD_COMPLAINT = "uphold a complaint against"
    REVOKE = "revoke the award of"
    RECORD_RECOVERY = "record the recovery of the award of"
    # --- decide ---
    DECIDE_BY_DECISION = "decide by a decision for many"

    # --- session ---
    PUT_ON_AGENDA = "put on a session's agenda"
    TAKE_OFF_AGENDA = "take off a session's agenda"
    RECORD_SESSION_RESULT = "record the session's result on"


OPEN_STATES = frozenset(State) - TERMINAL
HOLDABLE = OPEN_STATES - {State.DRAFT, State.ON_HOLD}
VOTING = {VoteStage.CLUSTER: State.CLUSTER_VOTING, VoteStage.COUNCIL: State.COUNCIL_VOTING}
APPROVED = {VoteStage.CLUSTER: State.CLUSTER_APPROVED, VoteStage.COUNCIL: State.COUNCIL_APPROVED}
OPEN_VOTE = {VoteStage.CLUSTER: Step.OPEN_CLUSTER_VOTE, VoteStage.COUNCIL: Step.OPEN_COUNCIL_VOTE}
BALLOT = {VoteStage.CLUSTER: Step.CLUSTER_BALLOT, VoteStage.COUNCIL: Step.COUNCIL_BALLOT}
CLOSE_VOTE = {
    VoteStage.CLUSTER: Step.CLOSE_CLUSTER_VOTE,
    VoteStage.COUNCIL: Step.CLOSE_COUNCIL_VOTE,
}
COUNT_VOTE = {
    VoteStage.CLUSTER: Step.COUNT_CLUSTER_VOTE,
    VoteStage.COUNCIL: Step.COUNT_COUNCIL_VOTE,
}
# The timed steps: the step whose deadline passes, by the name DeadlineMissed events record.
MISS_DEADLINE = {
    "cluster_vote": Step.MISS_CLUSTER_VOTE_DEADLINE,
    "appraisal": Step.MISS_APPRAISAL_DEADLINE,
    "council_vote": Step.MISS_COUNCIL_VOTE_DEADLINE,
    "external_outcome": Step.MISS_EXTERNAL_OUTCOME_DEADLINE,
}
DEADLINE_OF = {
    State.CLUSTER_VOTING: "cluster_vote",
    State.APPRAISAL: "appraisal",
    State.COUNCIL_VOTING: "council_vote",
    State.FORWARDED: "external_outcome",
}

# The one table: the states in which each step may be taken.
ALLOWED: dict[Step, frozenset[State]] = {
    Step.ATTACH_DOCUMENT: EDITABLE,
    Step.SUBMIT: frozenset({State.DRAFT}),
    Step.RESUBMIT: frozenset({State.RETURNED}),
    Step.OPEN_CLUSTER_VOTE: frozenset({State.SUBMITTED}),
    # From PUBLISHED only once its window has ended: see publication.check_window_ended.
    Step.OPEN_COUNCIL_VOTE: frozenset({State.APPRAISED, State.PUBLISHED}),
    Step.CLUSTER_BALLOT: frozenset({State.CLUSTER_VOTING}),
    Step.COUNCIL_BALLOT: frozenset({State.COUNCIL_VOTING}),
    Step.CLOSE_CLUSTER_VOTE: frozenset({State.CLUSTER_VOTING}),
    Step.CLOSE_COUNCIL_VOTE: frozenset({State.COUNCIL_VOTING}),
    Step.COUNT_CLUSTER_VOTE: frozenset({State.CLUSTER_VOTING}),
    Step.COUNT_COUNCIL_VOTE: frozenset({State.COUNCIL_VOTING}),
    # From SUBMITTED only for a form without a cluster vote: see check_open_appraisal.
    Step.OPEN_APPRAISAL: frozenset({State.SUBMITTED, State.CLUSTER_APPROVED}),
    Step.APPROVE_APPRAISAL: frozenset({State.APPRAISAL}),
    Step.RETURN: frozenset({State.APPRAISAL}),
    Step.MISS_CLUSTER_VOTE_DEADLINE: frozenset({State.CLUSTER_VOTING}),
    Step.MISS_APPRAISAL_DEADLINE: frozenset({State.APPRAISAL}),
    Step.MISS_COUNCIL_VOTE_DEADLINE: frozenset({State.COUNCIL_VOTING}),
    Step.HOLD: HOLDABLE,
    Step.RELEASE: frozenset({State.ON_HOLD}),
    Step.WITHDRAW: OPEN_STATES,
    Step.DECIDE: frozenset({State.COUNCIL_APPROVED}),
    # A draft of a conference-voted form, created with the conference's result in one save.
    Step.RECORD_CONFERENCE_VOTE: frozenset({State.DRAFT}),
    Step.FORWARD: frozenset({State.COUNCIL_APPROVED}),
    Step.RECORD_EXTERNAL_OUTCOME: frozenset({State.FORWARDED}),
    Step.MISS_EXTERNAL_OUTCOME_DEADLINE: frozenset({State.FORWARDED}),
    # --- publish ---
    Step.PUBLISH: frozenset({State.APPRAISED}),
    # A complaint in the window holds the proposal; upheld, it is rejected.
    Step.UPHOLD_COMPLAINT: frozenset({State.PUBLISHED, State.ON_HOLD}),
    # Only an award is revoked (see publication.check_revocation), and only once recovered.
    Step.REVOKE: frozenset({State.DECIDED, State.EXTERNALLY_DECIDED}),
    Step.RECORD_RECOVERY: frozenset({State.REVOKED}),
    # --- decide ---
    # Awarded on a decision's annex, or rejected with a reason when left off it.
    Step.DECIDE_BY_DECISION: frozenset({State.COUNCIL_APPROVED}),
    # --- session: an appraised proposal waits on one session's agenda for its line's result
    # (--- publish ---: a published nominee too, once its window has ended: the use case that
    # builds the agenda line asks publication.check_window_ended)
    Step.PUT_ON_AGENDA: frozenset({State.APPRAISED, State.PUBLISHED}),
    Step.TAKE_OFF_AGENDA: frozenset({State.APPRAISED, State.PUBLISHED, State.ON_HOLD}),
    Step.RECORD_SESSION_RESULT: frozenset({State.APPRAISED, State.PUBLISHED}),
}
# Steps that only one route takes (AwardForm.forwarded): a state-level form is forwarded after
# the council and its outcome recorded; VUSTA decides only its own forms.
FORWARDED_ONLY = frozenset({Step.FORWARD, Step.RECORD_EXTERNAL_OUTCOME})
VUSTA_DECIDED_ONLY = frozenset({Step.DECIDE, Step.DECIDE_BY_DECISION})
_REASON_REQUIRED = {
    Step.RETURN: "a reason is required to return a dossier for supplements",
    Step.HOLD: "a reason is required to put a proposal on hold",
    Step.UPHOLD_COMPLAINT: "a reason is required to uphold a complaint",
    Step.REVOKE: "a reason is required to revoke an award",
}


def _hint(step: Step, state: str) -> str:
    if state == State.ON_HOLD:
        return "the proposal is on hold until released"
    if step == Step.SUBMIT and state == State.RETURNED:
        return "a returned dossier is resubmitted instead"
    if step == Step.ATTACH_DOCUMENT:
        return "the dossier is locked"
    if step in (Step.CLUSTER_BALLOT, Step.COUNCIL_BALLOT) and state not in TERMINAL:
        return "the vote is not open"  # the refusal names the state already
    return ""


def check(step: Step, state: str, reason: str | None = None) -> None:
    """Refuse a step the state does not allow, or a step that needs a reason given none."""
    if State(state) not in ALLOWED[step]:
        raise IllegalTransition(state, step.value, _hint(step, state))
    if step in _REASON_REQUIRED and not (reason or "").strip():
        raise InvalidInput(_REASON_REQUIRED[step])


def check_route(step: Step, state: str, forwarded: bool) -> None:
    """Refuse a step the form's route does not take, after the table's own check."""
    check(step, state)
    if forwarded and step in VUSTA_DECIDED_ONLY:
        raise IllegalTransition(
            state,
            step.value,
            "a state-level form is decided by the state body: forward it and record the outcome",
        )
    if not forwarded and step in FORWARDED_ONLY:
        raise IllegalTransition(state, step.value, "only a state-level form is forwarded")


def allowed_steps(state: str, forwarded: bool = False) -> list[Step]:
    """The steps the table allows in a state (a page offers these; guards may still refuse)."""
    skipped = VUSTA_DECIDED_ONLY if forwarded else FORWARDED_ONLY
    return [
        step for step, states in ALLOWED.items() if State(state) in states and step not in skipped
    ]


def submit_step(state: str) -> Step:
    """A dossier returned for supplements is resubmitted; any other is submitted."""
    return Step.RESUBMIT if state == State.RETURNED else Step.SUBMIT


@dataclass(frozen=True)
class VoteFacts:
    """What the guards of a vote's steps need to know about that vote."""

    stage: VoteStage
    sealed: bool
    shares_missing: int = 0


def check_open_vote(state: str, stage: VoteStage, cluster_vote_required: bool, form: str) -> None:
    check(OPEN_VOTE[stage], state)
    if stage == VoteStage.CLUSTER and not cluster_vote_required:
        raise IllegalTransition(
            state, OPEN_VOTE[stage].value, f"the {form} route has no cluster vote"
        )


def check_ballot_box(state: str, vote: VoteFacts) -> None:
    """A ballot goes into an open, unsealed box."""
    check(BALLOT[vote.stage], state)
    if vote.sealed:
        raise IllegalTransition(state, BALLOT[vote.stage].value, "the ballot box is sealed")


def check_seal(state: str, vote: VoteFacts) -> None:
    check(CLOSE_VOTE[vote.stage], state)
    if vote.sealed:
        hint = f"the {vote.stage} ballot box is sealed"
        raise IllegalTransition(state, CLOSE_VOTE[vote.stage].value, hint)


def check_share(state: str, vote: VoteFacts) -> None:
    """A trustee's share counts a sealed box that still needs shares."""
    step = COUNT_VOTE[vote.stage]
    check(step, state)
    if not vote.sealed:
        raise IllegalTransition(state, step.value, f"the {vote.stage} ballot box is not sealed")
    if not vote.shares_missing:
        raise IllegalTransition(state, step.value, f"the {vote.stage} vote is counted")


def check_close(state: str, vote: VoteFacts) -> None:
    step = CLOSE_VOTE[vote.stage]
    check(step, state)
    if not vote.sealed:
        raise IllegalTransition(state, step.value, f"the {vote.stage} ballot box is not sealed")
    if vote.shares_missing:
        hint = f"the count needs {vote.shares_missing} more trustee share(s)"
        raise IllegalTransition(state, step.value, hint)


def check_open_appraisal(state: str, cluster_vote_required: bool, cluster_approved: bool) -> None:
    check(Step.OPEN_APPRAISAL, state)
    if state == State.SUBMITTED and cluster_vote_required and not cluster_approved:
        raise IllegalTransition(state, Step.OPEN_APPRAISAL.value, "the cluster vote comes first")


def check_miss_deadline(state: str, timed_step: str) -> None:
    if timed_step not in MISS_DEADLINE:
        raise InvalidInput(f"no deadline for step {timed_step!r}")
    check(MISS_DEADLINE[timed_step], state)
