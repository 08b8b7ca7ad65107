"""Typed commands on a council session: one frozen dataclass per step, with who takes it and
the step's idempotency key. Each names its kind as a literal, so a union of them crosses
Temporal's JSON converter unambiguously."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from domain.kernel.actor import Actor
from domain.session.stages import Action


@dataclass(frozen=True, kw_only=True)
class Convene:
    kind: Literal["convene"] = "convene"
    actor: Actor
    key: str
    session_id: str
    year: int
    held_on: str  # ISO date
    place: str
    members: list[str]
    secretary: str


@dataclass(frozen=True, kw_only=True)
class AddItem:
    kind: Literal["add_item"] = "add_item"
    action = Action.EDIT_AGENDA
    actor: Actor
    key: str
    item: dict[str, Any]  # an AgendaItem as plain data, its council rule included


@dataclass(frozen=True, kw_only=True)
class RemoveItem:
    kind: Literal["remove_item"] = "remove_item"
    action = Action.EDIT_AGENDA
    actor: Actor
    key: str
    proposal_id: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Reorder:
    kind: Literal["reorder"] = "reorder"
    action = Action.EDIT_AGENDA
    actor: Actor
    key: str
    order: list[str]


@dataclass(frozen=True, kw_only=True)
class RecordAttendance:
    kind: Literal["attendance"] = "attendance"
    action = Action.RECORD_ATTENDANCE
    actor: Actor
    key: str
    member: str
    attendance: str


@dataclass(frozen=True, kw_only=True)
class Recuse:
    kind: Literal["recuse"] = "recuse"
    action = Action.RECUSE
    actor: Actor
    key: str
    member: str
    proposal_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Open:
    """The quorum rule travels with the step (from the rulebook in force on the session's day)."""

    kind: Literal["open"] = "open"
    action = Action.OPEN
    actor: Actor
    key: str
    quorum: str
    recused_count_toward_quorum: bool
    election_key: dict[str, Any] | None = None  # the service's key when left out


@dataclass(frozen=True, kw_only=True)
class OpenVoting:
    kind: Literal["open_voting"] = "open_voting"
    action = Action.OPEN_VOTING
    actor: Actor
    key: str
    quorum: str
    recused_count_toward_quorum: bool


@dataclass(frozen=True, kw_only=True)
class RecordBallot:
    kind: Literal["record_ballot"] = "record_ballot"
    action = Action.CAST
    actor: Actor
    key: str
    voter: str


@dataclass(frozen=True, kw_only=True)
class SealPart:
    kind: Literal["seal_part"] = "seal_part"
    action = Action.CLOSE_VOTING
    actor: Actor
    key: str
    box: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class Seal:
    kind: Literal["seal"] = "seal"
    action = Action.CLOSE_VOTING
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
    share: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class Adjourn:
    kind: Literal["adjourn"] = "adjourn"
    action = Action.ADJOURN
    actor: Actor
    key: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class KeepRecords:
    kind: Literal["keep_records"] = "keep_records"
    action = Action.RECORD_MINUTES
    actor: Actor
    key: str
    records: list[dict[str, str]]


SessionCommand = (
    AddItem
    | RemoveItem
    | Reorder
    | RecordAttendance
    | Recuse
    | Open
    | OpenVoting
    | RecordBallot
    | SealPart
    | Seal
    | GiveShare
    | Adjourn
    | KeepRecords
)
