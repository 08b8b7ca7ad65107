"""Typed commands on a proposal: one frozen dataclass per step, with who takes it and its key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from domain.kernel.actor import Actor
from domain.proposal.states import VoteStage

# Each command names its kind as a literal, so that a list of them crosses Temporal's JSON
# converter unambiguously (a union of dataclasses is tried member by member).


@dataclass(frozen=True, kw_only=True)
class Submit:
    kind: Literal["submit"] = "submit"
    actor: Actor
    key: str
    comment: str = ""


@dataclass(frozen=True, kw_only=True)
class Resubmit:
    kind: Literal["resubmit"] = "resubmit"
    actor: Actor
    key: str
    comment: str = ""


@dataclass(frozen=True, kw_only=True)
class OpenVote:
    """Electorate and election key left out are found by the application when it opens."""

    kind: Literal["open_vote"] = "open_vote"
    actor: Actor
    key: str
    stage: VoteStage
    rule: dict[str, Any]
    deadline: datetime
    electorate: list[str] | None = None
    election_key: dict[str, Any] | None = None
    # --- publish ---: the workflow's day (ISO) when a published nominee's window has ended;
    # the store's clock is asked otherwise.
    today: str | None = None


@dataclass(frozen=True, kw_only=True)
class RecordBallot:
    kind: Literal["record_ballot"] = "record_ballot"
    actor: Actor
    key: str
    stage: VoteStage
    voter: str


@dataclass(frozen=True, kw_only=True)
class SealBox:
    kind: Literal["seal_box"] = "seal_box"
    actor: Actor
    key: str
    stage: VoteStage
    box: list[dict[str, Any]]
    reason: str
    closed_at: datetime


@dataclass(frozen=True, kw_only=True)
class SubmitShare:
    kind: Literal["submit_share"] = "submit_share"
    actor: Actor
    key: str
    stage: VoteStage
    share: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class TakeServiceShares:
    """The decryption shares the service itself holds, as many as the count still needs."""

    kind: Literal["take_service_shares"] = "take_service_shares"
    actor: Actor
    key: str
    stage: VoteStage


@dataclass(frozen=True, kw_only=True)
class CloseVote:
    """Opens the count when it has enough shares; a count still waiting is left open."""

    kind: Literal["close_vote"] = "close_vote"
    actor: Actor
    key: str
    stage: VoteStage
    if_counted: bool = False


@dataclass(frozen=True, kw_only=True)
class OpenAppraisal:
    """With ``if_approved``, only when the cluster vote just approved the proposal."""

    kind: Literal["open_appraisal"] = "open_appraisal"
    actor: Actor
    key: str
    deadline: datetime
    if_approved: bool = False


@dataclass(frozen=True, kw_only=True)
class ApproveAppraisal:
    kind: Literal["approve_appraisal"] = "approve_appraisal"
    actor: Actor
    key: str
    comment: str = ""


@dataclass(frozen=True, kw_only=True)
class ReturnDossier:
    kind: Literal["return"] = "return"
    actor: Actor
    key: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class MissDeadline:
    kind: Literal["miss_deadline"] = "miss_deadline"
    actor: Actor
    key: str
    step: str  # cluster_vote, appraisal or council_vote
    deadline: datetime


@dataclass(frozen=True, kw_only=True)
class Hold:
    kind: Literal["hold"] = "hold"
    actor: Actor
    key: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Release:
    kind: Literal["release"] = "release"
    actor: Actor
    key: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Withdraw:
    kind: Literal["withdraw"] = "withdraw"
    actor: Actor
    key: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Decide:
    kind: Literal["decide"] = "decide"
    actor: Actor
    key: str
    outcome: str
    number: str
    decided_on: str  # ISO date: the JSON converter carries dates as text
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Forward:
    """A state-level form sent on with its forwarding letter (a generated, stored record)."""

    kind: Literal["forward"] = "forward"
    actor: Actor
    key: str
    letter_number: str
    sent_on: str  # ISO date
    recipient: str
    letter: dict[str, Any]  # the letter as a dossier document: name, media_type, sha256, size


@dataclass(frozen=True, kw_only=True)
class RecordExternalOutcome:
    kind: Literal["external_outcome"] = "external_outcome"
    actor: Actor
    key: str
    outcome: str
    number: str
    decided_on: str  # ISO date
    issuer: str
    document: dict[str, Any]  # the external decision as a dossier document
    reason: str = ""


# --- publish ---


@dataclass(frozen=True, kw_only=True)
class Publish:
    """The window's last day is computed by the caller on the stored working calendar."""

    kind: Literal["publish"] = "publish"
    actor: Actor
    key: str
    published_on: str  # ISO date
    window_end: str  # ISO date, inclusive
    working_days: int
    where: str
    today: str  # ISO date in Vietnam when the step was asked


@dataclass(frozen=True, kw_only=True)
class UpholdComplaint:
    kind: Literal["uphold_complaint"] = "uphold_complaint"
    actor: Actor
    key: str
    complaint_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Revoke:
    kind: Literal["revoke"] = "revoke"
    actor: Actor
    key: str
    ground: str
    number: str  # the revoking decision's own number, e.g. 12/QĐ-LHHVN
    decided_on: str  # ISO date
    reason: str
    prize_money: int = 0  # VND to recover


@dataclass(frozen=True, kw_only=True)
class RecordRecovery:
    kind: Literal["record_recovery"] = "record_recovery"
    actor: Actor
    key: str
    recovered_on: str  # ISO date
    certificate_returned: bool
    money_recovered: int = 0
    note: str = ""


# --- decide ---
@dataclass(frozen=True, kw_only=True)
class DecideByDecision:
    """The proposal awarded on a decision for many (or rejected when left off it)."""

    kind: Literal["decide_by_decision"] = "decide_by_decision"
    actor: Actor
    key: str
    decision_id: str
    outcome: str
    number: str
    decided_on: str  # ISO date
    signing_form: str
    signer: str
    on_behalf_of: str
    reason: str = ""


# --- session ---
@dataclass(frozen=True, kw_only=True)
class RecordSessionResult:
    kind: Literal["session_result"] = "session_result"
    actor: Actor
    key: str
    session_id: str
    tally: dict[str, int]
    base: int
    outcome: str
    closed_at: datetime


Command = (
    Submit
    | Resubmit
    | OpenVote
    | RecordBallot
    | SealBox
    | SubmitShare
    | TakeServiceShares
    | CloseVote
    | OpenAppraisal
    | ApproveAppraisal
    | ReturnDossier
    | MissDeadline
    | Hold
    | Release
    | Withdraw
    | Decide
    | Forward
    | RecordExternalOutcome
    | Publish
    | UpholdComplaint
    | Revoke
    | RecordRecovery
    | DecideByDecision
    | RecordSessionResult
)
