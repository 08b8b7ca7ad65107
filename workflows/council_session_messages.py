"""Plain-data messages between the API, the council session's workflow and its activities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.session.commands import Convene, SessionCommand

SESSION_STEP = "session_step"  # the activity writing one step's events
SESSION_RESULTS = "session_results"  # the activity sending each line's result to its proposal


def session_workflow_id(session_id: str) -> str:
    return f"council-session-{session_id}"


@dataclass
class SessionCarry:
    """Everything the workflow knows: the stage, who votes on which lines, and the sealed
    ballots (under receipt hashes) until the box is sealed into the store."""

    session_id: str
    stage: str | None = None
    electorate: list[str] = field(default_factory=list)
    own_lines: dict[str, list[str]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # members absent with a written vote
    lines: list[str] = field(default_factory=list)
    election_key: dict[str, Any] | None = None
    context: str = ""
    voted: list[str] = field(default_factory=list)
    box: list[dict[str, Any]] = field(default_factory=list)  # {receipt, ballot}
    trackers: list[str] = field(default_factory=list)
    results_sent: bool = False


@dataclass
class ConveneRequest:
    command: Convene


@dataclass
class SessionRequest:
    command: SessionCommand


@dataclass
class SessionBallot:
    """One member's whole list ballot, once: every line sealed, with its proofs."""

    actor_id: str
    actor_role: str
    voter: str
    ballot: dict[str, Any]  # {lines: {proposal id: sealed ballot}}
    receipt: str  # sha256 of the voter's receipt


@dataclass
class CloseRequest:
    actor_id: str
    actor_role: str
    reason: str


@dataclass
class SessionStepInput:
    session_id: str
    commands: list[Convene | SessionCommand]


@dataclass
class SessionOutcome:
    stage: str
    electorate: list[str]
    own_lines: dict[str, list[str]]
    written: list[str]
    lines: list[str]
    election_key: dict[str, Any] | None
    context: str
    quorum_met: bool = True  # False when the step found the session below quorum


@dataclass
class SessionResults:
    """What the activity sends to each proposal of a counted session."""

    session_id: str


@dataclass
class SessionAnswer:
    stage: str
    message: str = ""
    tracker: str | None = None


@dataclass
class SessionView:
    stage: str | None
    voted: list[str]
    results_sent: bool
