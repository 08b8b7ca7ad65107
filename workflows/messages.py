"""Plain-data messages between the API, the proposal workflow and its activities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.proposal.commands import Command
from domain.proposal.rules import Deadlines
from domain.voting.ballot import BallotRule

TASK_QUEUE = "awards"


@dataclass
class ProposalInput:
    proposal_id: str
    form: str
    cluster_vote: bool
    cluster_rule: BallotRule
    council_rule: BallotRule
    deadlines: Deadlines = field(default_factory=Deadlines)
    forwarded: bool = False  # a state-level form: forwarded after the council, never decided
    # Where the process starts: "draft", or "cluster_approved" for a proposal the cluster's
    # conference voted (it goes on from the appraisal). Histories before it start at draft.
    start: str = "draft"
    # --- publish ---: the nominee is published for feedback between the appraisal and the
    # council (the rulebook's publication_forms); histories before it were not.
    publication: bool = False


@dataclass
class StepRequest:
    """A human step: who takes it, in which role, and why."""

    actor_id: str
    actor_role: str
    comment: str = ""


@dataclass
class BallotRequest:
    actor_id: str
    actor_role: str
    voter: str  # the member unit (cluster vote) or council member (council vote) voting
    ballot: dict[str, Any]  # the choice sealed under the vote's election key, with proofs
    receipt: str  # sha256 of the voter's receipt; only the voter holds the receipt itself


@dataclass
class ShareRequest:
    """A trustee's decryption share of a sealed vote's totals."""

    actor_id: str
    actor_role: str
    stage: str
    share: dict[str, Any]


@dataclass
class CountQuery:
    proposal_id: str
    stage: str


@dataclass
class AppraisalRequest:
    actor_id: str
    actor_role: str
    action: str  # "approve" or "return"
    reason: str = ""
    # --- session: "vote" opens its own council vote; "session" waits for a session's agenda
    council: str = "vote"


@dataclass
class DecisionRequest:
    actor_id: str
    actor_role: str
    outcome: str  # "awarded" or "rejected"
    number: str
    decided_on: str  # ISO date
    reason: str = ""


@dataclass
class ForwardRequest:
    """The forwarding of a state-level form, with its generated letter as a dossier document."""

    actor_id: str
    actor_role: str
    letter_number: str
    sent_on: str  # ISO date
    recipient: str
    letter: dict[str, Any]


@dataclass
class ExternalOutcomeRequest:
    """The state body's decision on a forwarded proposal, with its document."""

    actor_id: str
    actor_role: str
    outcome: str  # "awarded" or "rejected"
    number: str
    decided_on: str  # ISO date
    issuer: str
    document: dict[str, Any]
    reason: str = ""


# --- publish ---


@dataclass
class PublishRequest:
    """The nominee's publication; the window's last day is computed on the stored calendar."""

    actor_id: str
    actor_role: str
    published_on: str  # ISO date
    window_end: str  # ISO date, the window's last day
    working_days: int
    where: str
    today: str  # ISO date in Vietnam when asked


@dataclass
class ComplaintRequest:
    """A complaint received in the window, upheld by the secretary: the nominee is rejected."""

    actor_id: str
    actor_role: str
    complaint_id: str
    reason: str


# --- decide ---
@dataclass
class DecidedByDecisionRequest:
    """A decision for many, as it reaches each proposal on it (or left off it, rejected)."""

    actor_id: str
    actor_role: str
    decision_id: str
    outcome: str  # "awarded" (on the annex) or "rejected" (left off, with a reason)
    number: str
    decided_on: str  # ISO date
    signing_form: str
    signer: str
    on_behalf_of: str
    reason: str = ""


# --- session ---
@dataclass
class SessionResultRequest:
    """A council session's count of the proposal's line, judged by its council rule."""

    actor_id: str
    actor_role: str
    session_id: str
    tally: dict[str, int]
    base: int
    outcome: str
    closed_at: datetime


@dataclass
class StepResult:
    state: str
    message: str = ""
    tracker: str | None = None  # a cast ballot's tracker, for the voter to find in the box


@dataclass
class StepCommand:
    """One write to the event store; ``key`` makes a retried activity a no-op."""

    proposal_id: str
    key: str
    action: str
    actor_id: str
    actor_role: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class ElectorateQuery:
    proposal_id: str
    stage: str
    rule: BallotRule


@dataclass
class ProcessView:
    """What the workflow knows that the event store does not: the live stage and deadline."""

    stage: str
    deadline: str | None
    held_from: str | None
    voted: list[str]


def rule_json(rule: BallotRule) -> dict[str, Any]:
    """A vote's rule as the VoteOpened event records it."""
    return {
        "quorum": rule.quorum,
        "threshold": rule.threshold,
        "comparison": rule.comparison,
        "base": rule.base,
        "tie": rule.tie,
    }


@dataclass
class StepInput:
    """Every write of one step, saved by one activity in one transaction."""

    proposal_id: str
    commands: list[Command]


@dataclass
class VoteReport:
    """What the workflow keeps of a vote the store opened: who votes, the key, who counted."""

    electorate: list[str]
    election_key: dict[str, Any]
    trustees: list[int]


@dataclass
class StepOutcome:
    state: str
    votes: dict[str, VoteReport] = field(default_factory=dict)
