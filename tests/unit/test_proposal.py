"""The proposal aggregate, walked through as a story: every transition and every illegal one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime
from itertools import count
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import DomainEvent
from sealing import ELECTION_KEY, SHARES, box, share

from domain.kernel.actor import SYSTEM, Actor, Role
from domain.kernel.calendar import WorkingCalendar
from domain.kernel.errors import BallotError, DomainError, IllegalTransition, InvalidInput
from domain.proposal.aggregate import Proposal
from domain.proposal.decision import Decision, parse_decision_number
from domain.proposal.dossier import Return
from domain.proposal.forms import NomineeKind, find_form
from domain.proposal.forwarding import DECREE_152, RecordRef
from domain.proposal.nominee import Nominee
from domain.proposal.publication import Publication, Recovery, RevocationGround
from domain.proposal.rules import CLUSTER_DEFAULT, COUNCIL_DEFAULT
from domain.proposal.states import TERMINAL, DecisionOutcome, State, VoteStage
from domain.voting.ballot import BallotRule, Comparison, Outcome, Tally, electorate
from domain.voting.vote import VoteResult

PROPOSAL_ID = UUID("0b9f5d2e-6c1a-4f3e-9a57-1d2c3b4a5f60")
NOMINEE_UNIT = "lhh-ninh-binh"
PROPOSER = Actor("ninh-binh.proposer", Role.PROPOSER)
SECRETARY = Actor("vusta.secretary", Role.COUNCIL_SECRETARY)
PRESIDENT = Actor("vusta.president", Role.PRESIDENT)
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)  # every vote closes on 2026-11-20
CLUSTER_MEMBERS = [NOMINEE_UNIT, "lhh-thanh-hoa", "lhh-nghe-an", "lhh-ha-tinh"]
CLUSTER = electorate(CLUSTER_MEMBERS, {NOMINEE_UNIT}, CLUSTER_DEFAULT)
COUNCIL = ["council.1", "council.2", "council.3"]
ELECTORATES = {VoteStage.CLUSTER: CLUSTER, VoteStage.COUNCIL: COUNCIL}
RULES = {VoteStage.CLUSTER: CLUSTER_DEFAULT, VoteStage.COUNCIL: COUNCIL_DEFAULT}
ROLES = {VoteStage.CLUSTER: Role.CLUSTER_MEMBER, VoteStage.COUNCIL: Role.COUNCIL_MEMBER}
_keys = count()

Act = Callable[[Proposal, str], None]


def key() -> str:
    return f"k{next(_keys)}"


def member(stage: VoteStage, index: int = 0) -> Actor:
    return Actor(ELECTORATES[stage][index], ROLES[stage])


# ---- building a proposal in each state -----------------------------------------------------


def nominee_for(form: str) -> dict[str, Any]:
    if form == "vusta_medal":
        return {"kind": "individual", "name": "Nguyễn Văn An"}
    return {"kind": "collective", "name": "LHH Ninh Bình", "unit_id": NOMINEE_UNIT}


def nominate(form: str = "vusta_flag", step: str = "", **changes: Any) -> Proposal:
    arguments: dict[str, Any] = {
        "id": PROPOSAL_ID,
        "form": find_form(form),
        "year": 2026,
        "proposing_unit": NOMINEE_UNIT,
        "cluster": "cum-4",
        "nominee": nominee_for(form),
        "title": "Cờ thi đua 2026",
        "summary": "Dẫn đầu Cụm 4",
        "actor": PROPOSER,
        "key": step or key(),
        "rulebook_version": DECREE_152,
    }
    return Proposal.nominate(**{**arguments, **changes})


def draft(form: str = "vusta_flag") -> Proposal:
    return nominate(form)


def attach(proposal: Proposal, kind: str, sha: str = "", step: str = "") -> None:
    document = {
        "name": f"{kind}.pdf",
        "media_type": "application/pdf",
        "sha256": sha or f"{kind}-{proposal.dossier_version}",
        "size": 10,
        "kind": kind,
    }
    proposal.attach_document(document, PROPOSER, step or key())


def complete_draft(form: str = "vusta_flag") -> Proposal:
    proposal = draft(form)
    attach(proposal, "request_letter")
    attach(proposal, "achievement_report")
    return proposal


def submitted(form: str = "vusta_flag") -> Proposal:
    proposal = complete_draft(form)
    proposal.submit(PROPOSER, key())
    return proposal


def open_vote(
    proposal: Proposal, stage: VoteStage, rule: BallotRule | None = None, step: str = ""
) -> None:
    rule_data = asdict(rule or RULES[stage])
    proposal.open_vote(
        stage, ELECTORATES[stage], rule_data, NOW, ELECTION_KEY, SYSTEM, step or key()
    )


def cast(proposal: Proposal, stage: VoteStage, ballots: int) -> Proposal:
    for index in range(ballots):
        voter = member(stage, index)
        proposal.record_ballot(stage, voter.id, voter, key())
    return proposal


def seal(proposal: Proposal, stage: VoteStage, *choices: str, step: str = "") -> None:
    ballots = box(proposal, stage, *choices)
    proposal.seal_box(stage, ballots, "đã kiểm phiếu", NOW, SYSTEM, step or key())


def count_shares(proposal: Proposal, stage: VoteStage, trustees: int = 2) -> None:
    for trustee in SHARES[:trustees]:
        proposal.submit_share(stage, share(proposal, stage, trustee), SYSTEM, key())


def close(proposal: Proposal, stage: VoteStage, *choices: str, step: str = "") -> None:
    """Seal the box, give two trustees' shares and close: the whole count."""
    seal(proposal, stage, *choices)
    if choices:  # an empty box counts zero without any share
        count_shares(proposal, stage)
    proposal.close_vote(stage, SYSTEM, step or key())


def vote(proposal: Proposal, stage: VoteStage, *choices: str) -> None:
    cast(proposal, stage, len(choices))
    close(proposal, stage, *choices)


def cluster_voting() -> Proposal:
    proposal = submitted()
    open_vote(proposal, VoteStage.CLUSTER)
    return proposal


def cluster_approved() -> Proposal:
    proposal = cluster_voting()
    vote(proposal, VoteStage.CLUSTER, "yes", "yes", "no")
    return proposal


def appraisal() -> Proposal:
    proposal = cluster_approved()
    proposal.open_appraisal(NOW, SYSTEM, key())
    return proposal


def returned() -> Proposal:
    proposal = appraisal()
    proposal.return_for_supplements("thiếu biên bản bình xét", SECRETARY, key())
    return proposal


def supplemented() -> Proposal:
    """Returned, with a supplementary document in dossier version 2: ready to resubmit."""
    proposal = returned()
    attach(proposal, "review_minutes")
    return proposal


def appraised() -> Proposal:
    proposal = appraisal()
    proposal.approve_appraisal(SECRETARY, key())
    return proposal


def council_voting() -> Proposal:
    proposal = appraised()
    open_vote(proposal, VoteStage.COUNCIL)
    return proposal


def council_approved() -> Proposal:
    proposal = council_voting()
    vote(proposal, VoteStage.COUNCIL, "yes", "yes", "yes")
    return proposal


def decide(
    proposal: Proposal,
    on: date = date(2026, 11, 21),
    number: str = "17/QĐ-LHHVN",
    outcome: DecisionOutcome = DecisionOutcome.AWARDED,
    step: str = "",
) -> None:
    number_ = parse_decision_number(number)
    proposal.decide(outcome, number_, on, "đủ tiêu chuẩn", PRESIDENT, step or key())


def decided() -> Proposal:
    proposal = council_approved()
    decide(proposal)
    return proposal


def rejected() -> Proposal:
    proposal = cluster_voting()
    vote(proposal, VoteStage.CLUSTER, "yes", "no", "no")
    return proposal


def withdrawn() -> Proposal:
    proposal = draft()
    proposal.withdraw("đơn vị rút đề nghị", PROPOSER, key())
    return proposal


def on_hold() -> Proposal:
    proposal = appraisal()
    proposal.hold("đang xác minh khiếu nại", SECRETARY, key())
    return proposal


CONFERENCE_RECORDS = [
    RecordRef("review_minutes", "a" * 64, "doc-minutes"),
    RecordRef("ballot_count", "b" * 64, "doc-count"),
]


def record_conference_vote(proposal: Proposal, step: str = "") -> None:
    documents = [
        {
            "name": f"{r.document_id}.pdf",
            "media_type": "application/pdf",
            "sha256": r.sha256,
            "size": 100,
            "kind": r.kind,
        }
        for r in CONFERENCE_RECORDS
    ]
    proposal.record_conference_vote(
        "cum-4:2026", CONFERENCE_RECORDS, documents, SYSTEM, step or key()
    )


def conference_voted(form: str = "government_flag") -> Proposal:
    """A proposal the cluster's year-end conference voted: past the cluster vote."""
    proposal = nominate(form)
    record_conference_vote(proposal)
    return proposal


def state_level_approved() -> Proposal:
    """A Government Flag the council approved: next it is forwarded, never decided."""
    proposal = conference_voted()
    proposal.open_appraisal(NOW, SYSTEM, key())
    proposal.approve_appraisal(SECRETARY, key())
    open_vote(proposal, VoteStage.COUNCIL)
    vote(proposal, VoteStage.COUNCIL, "yes", "yes", "yes")
    return proposal


LETTER = {
    "name": "to-trinh.pdf",
    "media_type": "application/pdf",
    "sha256": "c" * 64,
    "size": 2000,
    "kind": "forwarding_letter",
}
EXTERNAL_DECISION = {
    **LETTER,
    "name": "qd-ttg.pdf",
    "sha256": "d" * 64,
    "kind": "external_decision",
}


def forward(proposal: Proposal, step: str = "", on: date = date(2026, 11, 25)) -> None:
    recipient = "Ban Thi đua - Khen thưởng Trung ương"
    proposal.forward("05/TTr-LHHVN", on, recipient, LETTER, SECRETARY, step or key())


def forwarded() -> Proposal:
    proposal = state_level_approved()
    forward(proposal)
    return proposal


def record_outcome(
    proposal: Proposal, step: str = "", on: date = date(2027, 1, 15), issuer: str = "Thủ tướng"
) -> None:
    proposal.record_external_outcome(
        DecisionOutcome.AWARDED,
        "123/QĐ-TTg",
        on,
        issuer,
        EXTERNAL_DECISION,
        SECRETARY,
        step or key(),
    )


def externally_decided() -> Proposal:
    proposal = forwarded()
    record_outcome(proposal)
    return proposal


# --- publish ---
PUBLISHED_ON = date(2026, 10, 5)  # a Monday: the window ends ten working days later


def publish(proposal: Proposal, step: str = "", on: date = PUBLISHED_ON) -> None:
    end = WorkingCalendar(frozenset(), frozenset()).add_working_days(on, 10)
    found = Publication(on, end, 10, "Cổng thông tin VUSTA", SECRETARY.id)
    proposal.publish(found, PUBLISHED_ON, SECRETARY, step or key())


def published() -> Proposal:
    proposal = appraised()
    publish(proposal)
    return proposal


def revoke(proposal: Proposal, step: str = "", number: str = "40/QĐ-LHHVN") -> None:
    proposal.revoke(
        RevocationGround.FORGED_PAPERS,
        parse_decision_number(number),
        date(2027, 3, 1),
        "giấy chứng nhận sáng kiến bị làm giả",
        5_000_000,
        PRESIDENT,
        step or key(),
    )


def revoked() -> Proposal:
    proposal = decided()
    revoke(proposal)
    return proposal


def uphold(proposal: Proposal, step: str) -> None:
    proposal.uphold_complaint("c-1", "có cơ sở", SECRETARY, step)


def record_recovery(proposal: Proposal, step: str) -> None:
    found = Recovery(date(2027, 3, 5), True, 0, "", SECRETARY.id)
    proposal.record_recovery(found, SECRETARY, step)


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
    State.FORWARDED: forwarded,
    State.EXTERNALLY_DECIDED: externally_decided,
    State.PUBLISHED: published,
    State.REVOKED: revoked,
}
OPEN_STATES = [state for state in State if state not in TERMINAL]
HOLDABLE = [state for state in OPEN_STATES if state not in (State.DRAFT, State.ON_HOLD)]


def fresh(state: State) -> Proposal:
    """A proposal in `state` whose events so far have been collected already."""
    proposal = BUILDERS[state]()
    assert proposal.state == state
    proposal.collect_events()
    return proposal


def events_of(proposal: Proposal) -> list[DomainEvent]:
    return [event for event in proposal.collect_events() if isinstance(event, DomainEvent)]


def names(events: list[DomainEvent]) -> list[str]:
    return [type(event).__name__ for event in events]


def data(event: DomainEvent) -> dict[str, Any]:
    return dict(vars(event))


# ---- the story -----------------------------------------------------------------------------


def test_nomination_opens_a_draft_recorded_as_nominated() -> None:
    proposal = nominate(step="nominate-1")
    assert (proposal.id, proposal.state, proposal.dossier_version) == (PROPOSAL_ID, State.DRAFT, 1)
    expected = {
        "form": "vusta_flag",
        "year": 2026,
        "cluster_vote_required": True,
        "required_documents": ["request_letter", "achievement_report"],
        "actor_id": PROPOSER.id,
        "actor_role": "proposer",
        "key": "nominate-1",
    }
    [event] = events_of(proposal)
    assert type(event).__name__ == "Nominated"
    assert {field: data(event)[field] for field in expected} == expected


def test_a_whole_award_is_recorded_step_by_step_with_actor_role_and_key() -> None:
    proposal = supplemented()
    proposal.resubmit(PROPOSER, key())
    proposal.open_appraisal(NOW, SYSTEM, key())
    proposal.approve_appraisal(SECRETARY, key())
    open_vote(proposal, VoteStage.COUNCIL)
    vote(proposal, VoteStage.COUNCIL, "yes", "yes", "yes")
    decide(proposal)
    events = events_of(proposal)
    assert names(events) == [
        "Nominated",
        *["DocumentAttached"] * 2,
        "Submitted",
        "VoteOpened",
        *["BallotRecorded"] * 3,
        "BallotBoxSealed",
        *["TallyShareSubmitted"] * 2,
        "VoteClosed",
        "AppraisalOpened",
        "ReturnedForSupplements",
        "DocumentAttached",
        "Resubmitted",
        "AppraisalOpened",
        "AppraisalApproved",
        "VoteOpened",
        *["BallotRecorded"] * 3,
        "BallotBoxSealed",
        *["TallyShareSubmitted"] * 2,
        "VoteClosed",
        "Decided",
    ]
    assert all(event.actor_id and event.actor_role for event in events)  # type: ignore[attr-defined]
    assert [event.key for event in events] == proposal.step_keys  # type: ignore[attr-defined]
    assert proposal.state == State.DECIDED and proposal.is_closed


# ---- every command as a step taking (proposal, key) ----------------------------------------


def attach_supplement(p: Proposal, k: str) -> None:
    attach(p, "review_minutes", step=k)


def submit(p: Proposal, k: str) -> None:
    p.submit(PROPOSER, k)


def resubmit(p: Proposal, k: str) -> None:
    p.resubmit(PROPOSER, k)


def opens(stage: VoteStage) -> Act:
    return lambda p, k: open_vote(p, stage, step=k)


def ballot(stage: VoteStage) -> Act:
    return lambda p, k: p.record_ballot(stage, ELECTORATES[stage][0], member(stage), k)


def closes(stage: VoteStage, choice: str = "yes") -> Act:
    """Close the vote with one ballot of `choice` for each voter recorded so far."""

    def act(p: Proposal, k: str) -> None:
        voters = len(p.votes[stage].voted) if stage in p.votes else 0
        close(p, stage, *[choice] * voters, step=k)

    return act


def open_appraisal(p: Proposal, k: str) -> None:
    p.open_appraisal(NOW, SYSTEM, k)


def approve_appraisal(p: Proposal, k: str) -> None:
    p.approve_appraisal(SECRETARY, k)


def return_dossier(p: Proposal, k: str) -> None:
    p.return_for_supplements("thiếu biên bản", SECRETARY, k)


def misses(deadline: str) -> Act:
    return lambda p, k: p.miss_deadline(deadline, NOW, SYSTEM, k)


def award(p: Proposal, k: str) -> None:
    decide(p, step=k)


def hold(p: Proposal, k: str) -> None:
    p.hold("khiếu nại", SECRETARY, k)


def release(p: Proposal, k: str) -> None:
    p.release("đã xác minh", SECRETARY, k)


def withdraw(p: Proposal, k: str) -> None:
    p.withdraw("rút", PROPOSER, k)


def voted(stage: VoteStage, ballots: int) -> Callable[[], Proposal]:
    """A builder: the stage's vote open, with ballots recorded from its first electors."""
    opened = cluster_voting if stage == VoteStage.CLUSTER else council_voting
    return lambda: cast(opened(), stage, ballots)


def sealed_with(stage: VoteStage, ballots: int, choice: str) -> Callable[[], Proposal]:
    """A builder: the stage's box sealed with `ballots` ballots of `choice`."""

    def build() -> Proposal:
        proposal = voted(stage, ballots)()
        seal(proposal, stage, *[choice] * ballots)
        return proposal

    return build


def counted(stage: VoteStage, ballots: int, choice: str) -> Callable[[], Proposal]:
    """A builder: the stage's box sealed and two trustees' shares given."""

    def build() -> Proposal:
        proposal = sealed_with(stage, ballots, choice)()
        count_shares(proposal, stage)
        return proposal

    return build


def seals(stage: VoteStage, choice: str) -> Act:
    def act(p: Proposal, k: str) -> None:
        seal(p, stage, *[choice] * len(p.votes[stage].voted), step=k)

    return act


def gives_share(stage: VoteStage) -> Act:
    return lambda p, k: p.submit_share(stage, share(p, stage, SHARES[2]), SECRETARY, k)


def close_count(stage: VoteStage) -> Act:
    return lambda p, k: p.close_vote(stage, SYSTEM, k)


CLUSTER_VOTE, COUNCIL_VOTE = VoteStage.CLUSTER, VoteStage.COUNCIL
TRANSITIONS: dict[str, tuple[Callable[[], Proposal], Act, State, str, Actor]] = {
    "draft-attach": (draft, attach_supplement, State.DRAFT, "DocumentAttached", PROPOSER),
    "draft-submit": (complete_draft, submit, State.SUBMITTED, "Submitted", PROPOSER),
    "open-cluster-vote": (
        submitted,
        opens(CLUSTER_VOTE),
        State.CLUSTER_VOTING,
        "VoteOpened",
        SYSTEM,
    ),
    "cluster-ballot": (
        cluster_voting,
        ballot(CLUSTER_VOTE),
        State.CLUSTER_VOTING,
        "BallotRecorded",
        member(CLUSTER_VOTE),
    ),
    "cluster-deadline": (
        cluster_voting,
        misses("cluster_vote"),
        State.CLUSTER_VOTING,
        "DeadlineMissed",
        SYSTEM,
    ),
    "cluster-seals": (
        voted(CLUSTER_VOTE, 3),
        seals(CLUSTER_VOTE, "yes"),
        State.CLUSTER_VOTING,
        "BallotBoxSealed",
        SYSTEM,
    ),
    "cluster-share": (
        sealed_with(CLUSTER_VOTE, 3, "yes"),
        gives_share(CLUSTER_VOTE),
        State.CLUSTER_VOTING,
        "TallyShareSubmitted",
        SECRETARY,
    ),
    "cluster-approves": (
        counted(CLUSTER_VOTE, 3, "yes"),
        close_count(CLUSTER_VOTE),
        State.CLUSTER_APPROVED,
        "VoteClosed",
        SYSTEM,
    ),
    "cluster-rejects": (
        counted(CLUSTER_VOTE, 3, "no"),
        close_count(CLUSTER_VOTE),
        State.REJECTED,
        "VoteClosed",
        SYSTEM,
    ),
    "cluster-lacks-quorum": (
        counted(CLUSTER_VOTE, 1, "yes"),
        close_count(CLUSTER_VOTE),
        State.REJECTED,
        "VoteClosed",
        SYSTEM,
    ),
    "appraisal-after-cluster": (
        cluster_approved,
        open_appraisal,
        State.APPRAISAL,
        "AppraisalOpened",
        SYSTEM,
    ),
    "appraisal-without-cluster": (
        lambda: submitted("vusta_certificate"),
        open_appraisal,
        State.APPRAISAL,
        "AppraisalOpened",
        SYSTEM,
    ),
    "appraisal-deadline": (
        appraisal,
        misses("appraisal"),
        State.APPRAISAL,
        "DeadlineMissed",
        SYSTEM,
    ),
    "appraisal-approves": (
        appraisal,
        approve_appraisal,
        State.APPRAISED,
        "AppraisalApproved",
        SECRETARY,
    ),
    "appraisal-returns": (
        appraisal,
        return_dossier,
        State.RETURNED,
        "ReturnedForSupplements",
        SECRETARY,
    ),
    "returned-attach": (returned, attach_supplement, State.RETURNED, "DocumentAttached", PROPOSER),
    "resubmit": (supplemented, resubmit, State.SUBMITTED, "Resubmitted", PROPOSER),
    "open-council-vote": (
        appraised,
        opens(COUNCIL_VOTE),
        State.COUNCIL_VOTING,
        "VoteOpened",
        SYSTEM,
    ),
    "council-ballot": (
        council_voting,
        ballot(COUNCIL_VOTE),
        State.COUNCIL_VOTING,
        "BallotRecorded",
        member(COUNCIL_VOTE),
    ),
    "council-deadline": (
        council_voting,
        misses("council_vote"),
        State.COUNCIL_VOTING,
        "DeadlineMissed",
        SYSTEM,
    ),
    "council-approves": (
        counted(COUNCIL_VOTE, 3, "yes"),
        close_count(COUNCIL_VOTE),
        State.COUNCIL_APPROVED,
        "VoteClosed",
        SYSTEM,
    ),
    "council-rejects": (
        counted(COUNCIL_VOTE, 3, "no"),
        close_count(COUNCIL_VOTE),
        State.REJECTED,
        "VoteClosed",
        SYSTEM,
    ),
    "decide": (council_approved, award, State.DECIDED, "Decided", PRESIDENT),
}


@pytest.mark.parametrize(
    ("start", "act", "state", "event", "actor"), TRANSITIONS.values(), ids=TRANSITIONS.keys()
)
def test_each_transition_moves_the_state_and_records_one_event_with_actor_role_and_key(
    start: Callable[[], Proposal], act: Act, state: State, event: str, actor: Actor
) -> None:
    proposal = start()
    proposal.collect_events()
    step = key()
    act(proposal, step)
    [recorded] = events_of(proposal)
    assert proposal.state == state
    assert type(recorded).__name__ == event
    assert (recorded.actor_id, recorded.actor_role, recorded.key) == (  # type: ignore[attr-defined]
        actor.id,
        actor.role,
        step,
    )
    assert proposal.has_step(step)


# ---- every illegal transition --------------------------------------------------------------

STEPS: dict[str, tuple[set[State], Act]] = {
    "attach a document to": ({State.DRAFT, State.RETURNED}, attach_supplement),
    "submit": ({State.DRAFT}, submit),
    "resubmit": ({State.RETURNED}, resubmit),
    "open the cluster vote on": ({State.SUBMITTED}, opens(CLUSTER_VOTE)),
    "vote in the cluster vote on": ({State.CLUSTER_VOTING}, ballot(CLUSTER_VOTE)),
    "close the cluster vote on": ({State.CLUSTER_VOTING}, closes(CLUSTER_VOTE)),
    # From SUBMITTED the appraisal opens or not by form: see the cluster-vote tests below.
    "open the appraisal of": ({State.SUBMITTED, State.CLUSTER_APPROVED}, open_appraisal),
    "approve the appraisal of": ({State.APPRAISAL}, approve_appraisal),
    "return": ({State.APPRAISAL}, return_dossier),
    "open the council vote on": ({State.APPRAISED, State.PUBLISHED}, opens(COUNCIL_VOTE)),
    "vote in the council vote on": ({State.COUNCIL_VOTING}, ballot(COUNCIL_VOTE)),
    "close the council vote on": ({State.COUNCIL_VOTING}, closes(COUNCIL_VOTE)),
    "miss the cluster_vote deadline of": ({State.CLUSTER_VOTING}, misses("cluster_vote")),
    "miss the appraisal deadline of": ({State.APPRAISAL}, misses("appraisal")),
    "miss the council_vote deadline of": ({State.COUNCIL_VOTING}, misses("council_vote")),
    "decide": ({State.COUNCIL_APPROVED}, award),
    "put on hold": (set(HOLDABLE), hold),
    "release": ({State.ON_HOLD}, release),
    "withdraw": (set(OPEN_STATES), withdraw),
    "record the conference vote on": ({State.DRAFT}, lambda p, k: record_conference_vote(p, k)),
    "forward": ({State.COUNCIL_APPROVED}, lambda p, k: forward(p, k)),
    "record the external outcome of": ({State.FORWARDED}, lambda p, k: record_outcome(p, k)),
    "miss the external_outcome deadline of": ({State.FORWARDED}, misses("external_outcome")),
    "publish": ({State.APPRAISED}, publish),
    "uphold a complaint against": ({State.PUBLISHED, State.ON_HOLD}, uphold),
    "revoke the award of": ({State.DECIDED, State.EXTERNALLY_DECIDED}, revoke),
    "record the recovery of the award of": ({State.REVOKED}, record_recovery),
}
ILLEGAL = [
    pytest.param(step, state, id=f"{step}-in-{state}")
    for step, (legal, _) in STEPS.items()
    for state in State
    if state not in legal
]


@pytest.mark.parametrize(("step", "state"), ILLEGAL)
def test_a_step_is_refused_in_a_state_that_does_not_allow_it(step: str, state: State) -> None:
    proposal = fresh(state)
    with pytest.raises(IllegalTransition) as refused:
        STEPS[step][1](proposal, key())
    assert (refused.value.state, refused.value.step) == (state, step)
    assert str(refused.value).startswith(f"cannot {step} a proposal in state {state.value}")
    assert proposal.state == state
    assert proposal.collect_events() == []


@pytest.mark.parametrize("state", list(State))
def test_a_proposal_is_closed_exactly_in_the_terminal_states(state: State) -> None:
    assert fresh(state).is_closed == (state in TERMINAL)


# ---- dossier -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "missing"),
    [("achievement_report", "request_letter"), ("request_letter", "achievement_report")],
)
def test_submission_refuses_a_dossier_missing_a_required_document(
    present: str, missing: str
) -> None:
    proposal = fresh(State.DRAFT)
    attach(proposal, present)
    proposal.collect_events()
    with pytest.raises(DomainError, match=f"the dossier is incomplete: missing {missing}"):
        proposal.submit(PROPOSER, key())
    assert proposal.state == State.DRAFT and proposal.collect_events() == []


def test_submission_records_the_hashes_of_the_dossier() -> None:
    proposal = draft()
    attach(proposal, "request_letter", "aa")
    attach(proposal, "achievement_report", "bb")
    proposal.collect_events()
    proposal.submit(PROPOSER, key(), "kính trình")
    [submitted_event] = events_of(proposal)
    assert data(submitted_event)["document_hashes"] == ["aa", "bb"]
    assert data(submitted_event)["dossier_version"] == 1


def test_the_dossier_is_locked_once_submitted() -> None:
    with pytest.raises(IllegalTransition, match="the dossier is locked"):
        attach(fresh(State.SUBMITTED), "supplement")


@pytest.mark.parametrize("field", ["name", "media_type", "sha256", "kind"])
def test_a_document_without_a_required_field_is_refused(field: str) -> None:
    document = {"name": "a.pdf", "media_type": "application/pdf", "sha256": "x", "kind": "other"}
    with pytest.raises(InvalidInput, match=f"document.{field} is required"):
        fresh(State.DRAFT).attach_document({**document, field: " ", "size": 1}, PROPOSER, key())


def test_an_empty_document_is_refused() -> None:
    document = {"name": "a", "media_type": "application/pdf", "sha256": "x", "kind": "o", "size": 0}
    with pytest.raises(InvalidInput, match="empty document"):
        fresh(State.DRAFT).attach_document(document, PROPOSER, key())


def test_a_return_keeps_the_reason_and_opens_dossier_version_two() -> None:
    proposal = fresh(State.RETURNED)
    assert proposal.returns == [Return("thiếu biên bản bình xét", 1, SECRETARY.id)]
    assert proposal.dossier_version == 2
    assert proposal.dossier.current == []


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_return_needs_a_reason(reason: str) -> None:
    with pytest.raises(InvalidInput, match="reason is required"):
        fresh(State.APPRAISAL).return_for_supplements(reason, SECRETARY, key())


def test_a_returned_dossier_takes_supplements_into_version_two() -> None:
    proposal = fresh(State.RETURNED)
    attach(proposal, "review_minutes", "cc")
    assert [d.dossier_version for d in proposal.dossier.documents] == [1, 1, 2]
    assert proposal.dossier.hashes == ["cc"]


def test_resubmission_requires_a_new_document() -> None:
    proposal = fresh(State.RETURNED)
    with pytest.raises(DomainError, match="supplementary document to dossier version 2"):
        proposal.resubmit(PROPOSER, key())
    assert proposal.state == State.RETURNED


def test_resubmission_records_only_the_new_version_hashes() -> None:
    proposal = fresh(State.RETURNED)
    attach(proposal, "review_minutes", "cc")
    proposal.collect_events()
    proposal.resubmit(PROPOSER, key())
    [event] = events_of(proposal)
    assert (data(event)["dossier_version"], data(event)["document_hashes"]) == (2, ["cc"])


def test_a_resubmitted_flag_returns_to_appraisal_on_the_standing_cluster_vote() -> None:
    proposal = supplemented()
    proposal.resubmit(PROPOSER, key())
    proposal.open_appraisal(NOW, SYSTEM, key())
    assert proposal.state == State.APPRAISAL
    assert proposal.appraisal is not None and proposal.appraisal.dossier_version == 2


def test_a_second_return_opens_dossier_version_three() -> None:
    proposal = supplemented()
    proposal.resubmit(PROPOSER, key())
    proposal.open_appraisal(NOW, SYSTEM, key())
    proposal.return_for_supplements("thiếu xác nhận sáng kiến", SECRETARY, key())
    assert proposal.dossier_version == 3
    assert [r.dossier_version for r in proposal.returns] == [1, 2]


# ---- route by form and nominee -------------------------------------------------------------


@pytest.mark.parametrize("form", ["vusta_flag", "government_flag"])
def test_a_form_with_a_cluster_vote_cannot_skip_it(form: str) -> None:
    proposal = submitted(form)
    with pytest.raises(IllegalTransition, match="the cluster vote comes first"):
        proposal.open_appraisal(NOW, SYSTEM, key())


@pytest.mark.parametrize("form", ["vusta_certificate", "vusta_medal"])
def test_a_form_without_a_cluster_vote_goes_from_submitted_to_appraisal(form: str) -> None:
    proposal = submitted(form)
    proposal.open_appraisal(NOW, SYSTEM, key())
    assert proposal.state == State.APPRAISAL


def test_a_form_without_a_cluster_vote_refuses_to_open_one() -> None:
    with pytest.raises(DomainError, match="the vusta_medal route has no cluster vote"):
        open_vote(submitted("vusta_medal"), VoteStage.CLUSTER)


@pytest.mark.parametrize(
    ("form", "kind"), [("vusta_flag", "individual"), ("vusta_medal", "collective")]
)
def test_a_nominee_of_a_kind_the_form_does_not_admit_is_refused(form: str, kind: str) -> None:
    with pytest.raises(InvalidInput, match=f"not an? {kind}"):
        nominate(form, nominee={"kind": kind, "name": "A"})


@pytest.mark.parametrize("kind", ["collective", "individual"])
def test_a_certificate_admits_both_kinds_of_nominee(kind: str) -> None:
    assert nominate("vusta_certificate", nominee={"kind": kind, "name": "A"}).nominee.kind == kind


@pytest.mark.parametrize(
    "nominee", [{"name": "A"}, {"kind": "team", "name": "A"}, {"kind": "collective", "name": " "}]
)
def test_a_nominee_without_a_valid_kind_and_name_is_refused(nominee: dict[str, str]) -> None:
    with pytest.raises(InvalidInput, match="nominee"):
        nominate(nominee=nominee)


def test_a_nominee_keeps_only_known_fields_trimmed() -> None:
    nominee = {"kind": "collective", "name": " LHH ", "unit_id": " u1 ", "email": "x@y"}
    assert nominate(nominee=nominee).nominee == Nominee(NomineeKind.COLLECTIVE, "LHH", "u1")


@pytest.mark.parametrize("year", [1999, 2101])
def test_an_emulation_year_out_of_range_is_refused(year: int) -> None:
    with pytest.raises(InvalidInput, match="out of range"):
        nominate(year=year)


def test_a_nomination_needs_a_title() -> None:
    with pytest.raises(InvalidInput, match="title is required"):
        nominate(title="  ")


# ---- votes ---------------------------------------------------------------------------------


def test_member_cannot_vote_on_own_nomination() -> None:
    proposal = fresh(State.CLUSTER_VOTING)
    with pytest.raises(BallotError, match="not in this vote's electorate"):
        proposal.record_ballot(VoteStage.CLUSTER, NOMINEE_UNIT, PROPOSER, key())


def test_a_ballot_from_outside_the_electorate_is_refused() -> None:
    proposal = fresh(State.COUNCIL_VOTING)
    with pytest.raises(BallotError, match="not in this vote's electorate"):
        proposal.record_ballot(VoteStage.COUNCIL, "stranger", PROPOSER, key())


def test_a_second_ballot_from_the_same_member_is_refused() -> None:
    proposal = cast(fresh(State.CLUSTER_VOTING), VoteStage.CLUSTER, 1)
    proposal.collect_events()
    with pytest.raises(BallotError, match="already voted"):
        proposal.record_ballot(VoteStage.CLUSTER, CLUSTER[0], member(VoteStage.CLUSTER), key())
    assert proposal.votes["cluster"].voted == (CLUSTER[0],)
    assert proposal.collect_events() == []


def test_a_ballot_event_names_the_voter_but_carries_no_choice() -> None:
    proposal = cast(fresh(State.CLUSTER_VOTING), VoteStage.CLUSTER, 1)
    [event] = events_of(proposal)
    assert (data(event)["voter"], data(event)["stage"]) == (CLUSTER[0], "cluster")
    assert not {"choice", "yes", "no", "abstain", "tally", "box"} & set(data(event))


def test_a_vote_records_its_electorate_and_rule_when_it_opens() -> None:
    proposal = fresh(State.SUBMITTED)
    open_vote(proposal, VoteStage.CLUSTER)
    [event] = events_of(proposal)
    assert data(event)["electorate"] == CLUSTER
    assert BallotRule(**data(event)["rule"]) == CLUSTER_DEFAULT


@pytest.mark.parametrize("ballots", [1, 3])
def test_closing_refuses_a_box_whose_count_differs_from_the_recorded_voters(ballots: int) -> None:
    proposal = cast(fresh(State.CLUSTER_VOTING), VoteStage.CLUSTER, 2)
    with pytest.raises(BallotError, match=f"holds {ballots} ballots but 2 members voted"):
        close(proposal, VoteStage.CLUSTER, *["yes"] * ballots)
    assert proposal.state == State.CLUSTER_VOTING


def test_closing_refuses_two_ballots_under_one_receipt() -> None:
    proposal = cast(fresh(State.CLUSTER_VOTING), VoteStage.CLUSTER, 2)
    ballots = box(proposal, VoteStage.CLUSTER, "yes", "no")
    ballots[1]["receipt"] = ballots[0]["receipt"]
    with pytest.raises(BallotError, match="share a receipt"):
        proposal.seal_box(VoteStage.CLUSTER, ballots, "x", NOW, SYSTEM, key())


def test_closing_refuses_a_copied_ballot() -> None:
    proposal = cast(fresh(State.CLUSTER_VOTING), VoteStage.CLUSTER, 2)
    ballots = box(proposal, VoteStage.CLUSTER, "yes", "no")
    ballots[1]["ballot"] = ballots[0]["ballot"]
    with pytest.raises(BallotError, match="same sealed ballot twice"):
        proposal.seal_box(VoteStage.CLUSTER, ballots, "x", NOW, SYSTEM, key())


def test_an_approved_vote_records_its_tally_and_closing_date() -> None:
    proposal = fresh(State.CLUSTER_APPROVED)
    assert proposal.votes["cluster"].result == VoteResult(
        Tally(yes=2, no=1), Outcome.APPROVED, "đã kiểm phiếu", date(2026, 11, 20)
    )
    assert proposal.closing_reason is None


@pytest.mark.parametrize(
    ("stage", "start", "choices", "reason"),
    [
        (VoteStage.CLUSTER, State.CLUSTER_VOTING, ("yes", "no", "no"), "cluster vote: rejected"),
        (VoteStage.CLUSTER, State.CLUSTER_VOTING, ("yes",), "cluster vote: no_quorum"),
        (VoteStage.CLUSTER, State.CLUSTER_VOTING, (), "cluster vote: no_quorum"),
        (VoteStage.COUNCIL, State.COUNCIL_VOTING, ("yes", "yes", "no"), "council vote: rejected"),
        (VoteStage.COUNCIL, State.COUNCIL_VOTING, ("yes", "yes"), "council vote: rejected"),
    ],
)
def test_a_failed_vote_rejects_the_proposal_with_a_closing_reason(
    stage: VoteStage, start: State, choices: tuple[str, ...], reason: str
) -> None:
    proposal = fresh(start)
    vote(proposal, stage, *choices)
    assert (proposal.state, proposal.closing_reason) == (State.REJECTED, reason)


def test_the_outcome_follows_the_rule_recorded_when_the_vote_opened() -> None:
    proposal = fresh(State.SUBMITTED)
    ninety = BallotRule(quorum="2/3", threshold="9/10", comparison=Comparison.AT_LEAST)
    open_vote(proposal, VoteStage.CLUSTER, ninety)
    vote(proposal, VoteStage.CLUSTER, "yes", "yes", "no")  # passes the default rule, not this one
    assert proposal.state == State.REJECTED


def test_the_sealed_box_keeps_only_receipts_and_sealed_ballots_sorted_by_receipt() -> None:
    proposal = cast(fresh(State.CLUSTER_VOTING), VoteStage.CLUSTER, 3)
    ordered = box(proposal, VoteStage.CLUSTER, "yes", "no", "yes")
    given = [{**entry, "voter": CLUSTER[0]} for entry in reversed(ordered)]
    proposal.collect_events()
    proposal.seal_box(VoteStage.CLUSTER, given, "x", NOW, SYSTEM, key())
    [event] = events_of(proposal)
    assert data(event)["box"] == ordered
    assert [entry.to_json() for entry in proposal.votes["cluster"].box or ()] == ordered
    assert "yes" not in repr(data(event)) and "choice" not in repr(data(event))


def test_the_tally_is_opened_only_from_the_sealed_totals_and_enough_shares() -> None:
    proposal = cast(fresh(State.COUNCIL_VOTING), VoteStage.COUNCIL, 3)
    seal(proposal, VoteStage.COUNCIL, "yes", "abstain", "yes")
    with pytest.raises(IllegalTransition, match="needs 2 more trustee share"):
        proposal.close_vote(VoteStage.COUNCIL, SYSTEM, key())
    count_shares(proposal, VoteStage.COUNCIL, trustees=1)
    assert proposal.vote(VoteStage.COUNCIL).shares_missing == 1
    proposal.submit_share(
        VoteStage.COUNCIL, share(proposal, VoteStage.COUNCIL, SHARES[2]), SECRETARY, key()
    )
    proposal.close_vote(VoteStage.COUNCIL, SYSTEM, key())
    result = proposal.votes["council"].result
    assert result is not None and result.tally == Tally(yes=2, abstain=1)


def test_a_share_is_refused_twice_or_when_its_proof_fails() -> None:
    proposal = cast(fresh(State.COUNCIL_VOTING), VoteStage.COUNCIL, 3)
    seal(proposal, VoteStage.COUNCIL, "yes", "no", "yes")
    given = share(proposal, VoteStage.COUNCIL, SHARES[0])
    proposal.submit_share(VoteStage.COUNCIL, given, SYSTEM, key())
    with pytest.raises(InvalidInput, match="already given"):
        proposal.submit_share(VoteStage.COUNCIL, given, SYSTEM, key())
    forged = share(proposal, VoteStage.COUNCIL, SHARES[1])
    forged["factors"] = [forged["factors"][1], forged["factors"][0], forged["factors"][2]]
    with pytest.raises(InvalidInput, match="does not prove itself"):
        proposal.submit_share(VoteStage.COUNCIL, forged, SYSTEM, key())
    assert len(proposal.votes["council"].shares) == 1


def test_a_ballot_is_refused_once_the_box_is_sealed() -> None:
    proposal = cast(fresh(State.CLUSTER_VOTING), VoteStage.CLUSTER, 1)
    seal(proposal, VoteStage.CLUSTER, "yes")
    with pytest.raises(IllegalTransition, match="sealed"):
        proposal.record_ballot(VoteStage.CLUSTER, CLUSTER[1], member(VoteStage.CLUSTER, 1), key())
    with pytest.raises(IllegalTransition, match="sealed"):
        seal(proposal, VoteStage.CLUSTER, "yes")


def test_an_empty_box_closes_without_shares() -> None:
    proposal = fresh(State.CLUSTER_VOTING)
    seal(proposal, VoteStage.CLUSTER)
    assert proposal.vote(VoteStage.CLUSTER).shares_missing == 0
    proposal.close_vote(VoteStage.CLUSTER, SYSTEM, key())
    result = proposal.votes["cluster"].result
    assert result is not None and result.outcome == Outcome.NO_QUORUM


def test_a_vote_cannot_open_without_a_valid_election_key() -> None:
    proposal = fresh(State.SUBMITTED)
    rule = asdict(CLUSTER_DEFAULT)
    for bad in ({}, {**ELECTION_KEY, "threshold": 4}, {**ELECTION_KEY, "commitments": ["2"]}):
        with pytest.raises(InvalidInput):
            proposal.open_vote(VoteStage.CLUSTER, CLUSTER, rule, NOW, bad, SYSTEM, key())
    assert proposal.state == State.SUBMITTED


def test_a_ballot_is_refused_while_the_vote_is_on_hold() -> None:
    proposal = fresh(State.CLUSTER_VOTING)
    proposal.hold("khiếu nại", SECRETARY, key())
    with pytest.raises(IllegalTransition, match="in state on_hold"):
        proposal.record_ballot(VoteStage.CLUSTER, CLUSTER[0], member(VoteStage.CLUSTER), key())


# ---- deadlines, hold, withdrawal -----------------------------------------------------------


def test_a_missed_appraisal_deadline_flags_the_appraisal_overdue() -> None:
    proposal = fresh(State.APPRAISAL)
    proposal.miss_deadline("appraisal", NOW, SYSTEM, key())
    assert proposal.appraisal is not None and proposal.appraisal.overdue


def test_a_deadline_for_an_unknown_step_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no deadline for step 'decision'"):
        fresh(State.APPRAISAL).miss_deadline("decision", NOW, SYSTEM, key())


@pytest.mark.parametrize("state", HOLDABLE)
def test_hold_remembers_the_state_it_interrupted(state: State) -> None:
    proposal = fresh(state)
    proposal.hold("khiếu nại", SECRETARY, key())
    assert (proposal.state, proposal.held_from) == (State.ON_HOLD, state)
    assert names(events_of(proposal)) == ["PutOnHold"]


@pytest.mark.parametrize("state", HOLDABLE)
def test_release_restores_the_state_before_the_hold(state: State) -> None:
    proposal = fresh(state)
    proposal.hold("khiếu nại", SECRETARY, key())
    proposal.collect_events()
    proposal.release("đã xác minh", SECRETARY, key())
    assert (proposal.state, proposal.held_from) == (state, None)
    [event] = events_of(proposal)
    assert (type(event).__name__, data(event)["resumed_state"]) == ("Released", state)


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_hold_needs_a_reason(reason: str) -> None:
    with pytest.raises(InvalidInput, match="reason is required"):
        fresh(State.APPRAISAL).hold(reason, SECRETARY, key())


@pytest.mark.parametrize("state", OPEN_STATES)
def test_a_proposal_can_be_withdrawn_from_every_open_state(state: State) -> None:
    proposal = fresh(state)
    proposal.withdraw("đơn vị rút đề nghị", PROPOSER, key())
    assert (proposal.state, proposal.closing_reason) == (State.WITHDRAWN, "đơn vị rút đề nghị")
    [event] = events_of(proposal)
    assert (type(event).__name__, data(event)["previous_state"]) == ("Withdrawn", state)


def test_a_withdrawal_without_a_reason_is_closed_as_withdrawn() -> None:
    proposal = fresh(State.DRAFT)
    proposal.withdraw(" ", PROPOSER, key())
    assert proposal.closing_reason == "withdrawn"


# ---- decision ------------------------------------------------------------------------------


def test_a_decision_records_the_award() -> None:
    proposal = fresh(State.DECIDED)
    assert proposal.decision == Decision(
        DecisionOutcome.AWARDED, "17/QĐ-LHHVN", date(2026, 11, 21), "đủ tiêu chuẩn", PRESIDENT.id
    )
    assert proposal.closing_reason == "decision 17/QĐ-LHHVN: awarded"


def test_a_decision_may_refuse_the_award() -> None:
    proposal = fresh(State.COUNCIL_APPROVED)
    decide(proposal, outcome=DecisionOutcome.REJECTED)
    assert proposal.state == State.DECIDED
    assert proposal.closing_reason == "decision 17/QĐ-LHHVN: rejected"


def test_a_decision_number_is_keyed_by_the_year_of_the_decision() -> None:
    proposal = fresh(State.COUNCIL_APPROVED)
    decide(proposal, on=date(2027, 1, 8), number="05/QĐ-LHHVN")
    [event] = events_of(proposal)
    assert (data(event)["number"], data(event)["number_key"]) == ("05/QĐ-LHHVN", "LHHVN/QĐ/2027/5")


def test_a_decision_may_not_predate_the_council_vote() -> None:
    proposal = fresh(State.COUNCIL_APPROVED)
    with pytest.raises(InvalidInput, match="before the council vote closed on 2026-11-20"):
        decide(proposal, on=date(2026, 11, 19))
    assert proposal.state == State.COUNCIL_APPROVED


@pytest.mark.parametrize("decided_on", [date(2026, 11, 20), date(2027, 12, 31)])
def test_a_decision_on_the_council_day_or_in_the_next_year_is_accepted(decided_on: date) -> None:
    proposal = fresh(State.COUNCIL_APPROVED)
    decide(proposal, on=decided_on)
    assert proposal.state == State.DECIDED


def test_a_decision_two_years_after_the_emulation_year_is_refused() -> None:
    with pytest.raises(InvalidInput, match="dated 2026 or 2027"):
        decide(fresh(State.COUNCIL_APPROVED), on=date(2028, 1, 5))


# ---- step keys and replay ------------------------------------------------------------------


def test_the_nomination_key_is_remembered() -> None:
    assert nominate(step="nominate-7").has_step("nominate-7")


def test_an_unknown_step_key_is_not_remembered() -> None:
    assert not fresh(State.DECIDED).has_step("never-sent")


def test_the_key_of_a_refused_step_is_not_remembered() -> None:
    proposal = fresh(State.DRAFT)
    with pytest.raises(DomainError):
        proposal.submit(PROPOSER, "submit-early")
    assert not proposal.has_step("submit-early")


@pytest.mark.parametrize("state", list(State))
def test_replaying_the_events_rebuilds_the_same_proposal(state: State) -> None:
    original = BUILDERS[state]()
    rebuilt: Proposal | None = None
    for event in events_of(original):
        rebuilt = event.mutate(rebuilt)  # type: ignore[attr-defined]
    assert rebuilt is not None
    assert vars(rebuilt) == vars(original)
