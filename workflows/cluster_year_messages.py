"""Plain-data messages between the API, the cluster-year workflow and its activities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.cluster_year.commands import Launch, YearCommand
from domain.rulebook.version import Deadline

YEAR_STEP = "year_step"  # the activity writing one step's events
YEAR_TIMERS = "year_timers"  # the activity turning working days into instants
MAX_UPDATES = 500  # updates one run takes before it continues as new (Temporal allows 2,000)


def year_workflow_id(group_id: str, year: int) -> str:
    return f"cluster-year-{group_id}-{year}"


@dataclass
class YearInput:
    year_id: str
    group_id: str
    year: int
    deadlines: dict[str, Deadline]  # YearStep -> Deadline, from the rulebook version
    max_updates: int = MAX_UPDATES


@dataclass
class Timers:
    """When the current stage's reminder, deadline and escalation fall."""

    step: str
    remind_at: datetime
    due_at: datetime
    escalate_at: datetime
    reminded: bool = False
    escalated: bool = False


@dataclass
class TimerQuery:
    start: datetime
    step: str
    deadline: Deadline


@dataclass
class YearCarry:
    """Everything the workflow knows, carried whole into the next run (continue-as-new)."""

    input: YearInput
    stage: str | None = None
    electorate: list[str] = field(default_factory=list)  # who votes at the conference
    lines: list[str] = field(default_factory=list)
    election_key: dict[str, Any] | None = None
    context: str = ""
    voted: list[str] = field(default_factory=list)
    box: list[dict[str, Any]] = field(default_factory=list)  # {receipt, ballot}, sealed ballots
    timers: Timers | None = None
    epoch: int = 0
    runs: int = 1


@dataclass
class LaunchRequest:
    command: Launch


@dataclass
class YearRequest:
    command: YearCommand


@dataclass
class YearBallot:
    actor_id: str
    actor_role: str
    voter: str  # the member unit
    ballot: dict[str, Any]  # a list ballot: {lines: {line: sealed ballot}}
    receipt: str  # sha256 of the voter's receipt


@dataclass
class CloseRequest:
    actor_id: str
    actor_role: str
    reason: str


@dataclass
class YearStepInput:
    year_id: str
    commands: list[Launch | YearCommand]


@dataclass
class YearOutcome:
    stage: str
    electorate: list[str]
    lines: list[str]
    election_key: dict[str, Any] | None
    context: str


@dataclass
class YearResult:
    stage: str
    message: str = ""
    tracker: str | None = None


@dataclass
class YearView:
    stage: str | None
    step: str | None
    deadline: str | None
    voted: list[str]
    runs: int
