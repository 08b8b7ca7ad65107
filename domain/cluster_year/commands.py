"""Typed commands on a cluster's year: one frozen dataclass per step, with who takes it (the
person, the role, and the unit they act for) and the step's idempotency key."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from domain.cluster_year.stages import Action
from domain.kernel.actor import Actor

# Each command names its kind as a literal, so a union of them crosses Temporal's JSON
# converter unambiguously (a union of dataclasses is tried member by member).


@dataclass(frozen=True, kw_only=True)
class Launch:
    kind: Literal["launch"] = "launch"
    actor: Actor
    key: str
    group_id: str
    year: int
    scope: str
    members: list[str]
    head: str
    deputy: str
    rulebook_version: str
    plan: dict[str, str]  # {document_id, sha256}


@dataclass(frozen=True, kw_only=True)
class SignPledge:
    kind: Literal["sign_pledge"] = "sign_pledge"
    action = Action.SIGN_PLEDGE
    actor: Actor
    key: str
    unit: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class SetCriteria:
    kind: Literal["set_criteria"] = "set_criteria"
    action = Action.SET_CRITERIA
    actor: Actor
    key: str
    unit: str
    criteria: dict[str, Any]  # a CriteriaTemplate as plain data
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class OpenScoring:
    kind: Literal["open_scoring"] = "open_scoring"
    action = Action.OPEN_SCORING
    actor: Actor
    key: str
    unit: str


@dataclass(frozen=True, kw_only=True)
class SelfScore:
    kind: Literal["self_score"] = "self_score"
    action = Action.SELF_SCORE
    actor: Actor
    key: str
    unit: str
    criterion: str
    points: int
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Adjust:
    kind: Literal["adjust"] = "adjust"
    action = Action.ADJUST
    actor: Actor
    key: str
    unit: str  # the head's unit
    member: str
    criterion: str
    points: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class Contest:
    kind: Literal["contest"] = "contest"
    action = Action.CONTEST
    actor: Actor
    key: str
    unit: str
    criterion: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Settle:
    kind: Literal["settle"] = "settle"
    action = Action.SETTLE
    actor: Actor
    key: str
    unit: str  # the deputy's unit
    member: str
    criterion: str
    outcome: str  # keep | restore
    reason: str


@dataclass(frozen=True, kw_only=True)
class MidYear:
    kind: Literal["mid_year"] = "mid_year"
    action = Action.MID_YEAR
    actor: Actor
    key: str
    unit: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class YearEnd:
    kind: Literal["year_end"] = "year_end"
    action = Action.YEAR_END
    actor: Actor
    key: str
    unit: str
    women_share: dict[str, str | None]  # from the organisation year, by unit
    chair_order: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ProposeCandidates:
    """Opens the conference's ballot box; the election key is found by the application."""

    kind: Literal["propose_candidates"] = "propose_candidates"
    action = Action.PROPOSE_CANDIDATES
    actor: Actor
    key: str
    unit: str
    flag: str | None = None
    certificates: list[str] = field(default_factory=list)
    reason: str = ""
    government_flag: bool = False  # a Government Flag line for the leading unit too
    election_key: dict[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class RecordBallot:
    kind: Literal["record_ballot"] = "record_ballot"
    action = Action.CAST
    actor: Actor
    key: str
    voter: str


@dataclass(frozen=True, kw_only=True)
class CloseConference:
    """Seal the box, take the shares the service holds, count when they are enough."""

    kind: Literal["close_conference"] = "close_conference"
    action = Action.CLOSE_CONFERENCE
    actor: Actor
    key: str
    box: list[dict[str, Any]]
    reason: str
    closed_at: datetime


@dataclass(frozen=True, kw_only=True)
class GiveShare:
    kind: Literal["give_share"] = "give_share"
    action = Action.GIVE_SHARE
    actor: Actor
    key: str
    share: dict[str, Any]  # {trustee, lines: {line: decryption share}}


@dataclass(frozen=True, kw_only=True)
class Elect:
    kind: Literal["elect"] = "elect"
    action = Action.ELECT
    actor: Actor
    key: str
    unit: str
    head: str
    deputy: str
    recent_heads: list[str]  # this year's head first, then earlier years' (organisation)
    reason: str


@dataclass(frozen=True, kw_only=True)
class RecordConference:
    kind: Literal["record_conference"] = "record_conference"
    action = Action.RECORD_CONFERENCE
    actor: Actor
    key: str
    records: list[dict[str, str]]  # {kind, sha256, document_id}: the minutes and the count


@dataclass(frozen=True, kw_only=True)
class RecordNomination:
    kind: Literal["record_nomination"] = "record_nomination"
    action = Action.RECORD_NOMINATION
    actor: Actor
    key: str
    line: str
    proposal: str = ""  # the proposal's id, or "" with the refusals
    refusals: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Remind:
    kind: Literal["remind"] = "remind"
    action = Action.REMIND
    actor: Actor
    key: str
    step: str
    deadline: datetime


@dataclass(frozen=True, kw_only=True)
class Escalate:
    kind: Literal["escalate"] = "escalate"
    action = Action.ESCALATE
    actor: Actor
    key: str
    step: str
    deadline: datetime


YearCommand = (
    SignPledge
    | SetCriteria
    | OpenScoring
    | SelfScore
    | Adjust
    | Contest
    | Settle
    | MidYear
    | YearEnd
    | ProposeCandidates
    | RecordBallot
    | CloseConference
    | GiveShare
    | Elect
    | RecordConference
    | RecordNomination
    | Remind
    | Escalate
)
