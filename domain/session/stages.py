"""The stages of a council session and the one table of which step each stage allows."""

from __future__ import annotations

from enum import StrEnum

from domain.kernel.errors import DomainError
from domain.kernel.message import Message


class Stage(StrEnum):
    PLANNED = "planned"  # created: the agenda, attendance and recusals are prepared
    OPEN = "open"  # opened with a quorum: the agenda is fixed, written votes go in the box
    VOTING = "voting"  # voting opened with a quorum: members present cast their list ballots
    COUNTING = "counting"  # the box is sealed: the trustees open the totals
    CLOSED = "closed"  # counted: each line's result goes to its proposal
    ADJOURNED = "adjourned"  # ended without a vote (no quorum, or called off)


class Action(StrEnum):
    EDIT_AGENDA = "change the session's agenda"
    RECORD_ATTENDANCE = "record a member's attendance"
    RECUSE = "record a recusal"
    OPEN = "open the session"
    WRITTEN_VOTE = "deliver a written vote"
    OPEN_VOTING = "open the session's voting"
    CAST = "cast a list ballot in the session"
    CLOSE_VOTING = "close the session's voting"
    GIVE_SHARE = "give a decryption share of the session's totals"
    RECORD_MINUTES = "keep the session's minutes and ballot count"
    ADJOURN = "adjourn the session"


ALLOWED: dict[Action, frozenset[Stage]] = {
    Action.EDIT_AGENDA: frozenset({Stage.PLANNED}),  # fixed once the session opens
    Action.RECORD_ATTENDANCE: frozenset({Stage.PLANNED, Stage.OPEN}),
    Action.RECUSE: frozenset({Stage.PLANNED, Stage.OPEN}),
    Action.OPEN: frozenset({Stage.PLANNED}),
    # Written votes of absent members reach the box once the agenda is fixed, before the vote.
    Action.WRITTEN_VOTE: frozenset({Stage.OPEN}),
    Action.OPEN_VOTING: frozenset({Stage.OPEN}),
    Action.CAST: frozenset({Stage.VOTING}),
    Action.CLOSE_VOTING: frozenset({Stage.VOTING}),
    Action.GIVE_SHARE: frozenset({Stage.COUNTING}),
    Action.RECORD_MINUTES: frozenset({Stage.CLOSED}),
    Action.ADJOURN: frozenset({Stage.PLANNED, Stage.OPEN}),
}


class SessionStageError(DomainError):
    """A step of the session was attempted in a stage that does not allow it."""

    code = "illegal-transition"

    def __init__(self, stage: str, action: Action) -> None:
        self.stage = stage
        super().__init__(
            Message(
                "cannot {step} in the session's stage {stage}",
                step=Message(action.value),
                stage=Message.term("session-stage", stage),
            )
        )


def check_step(stage: str, action: Action) -> None:
    """Refuse a step the stage does not allow (the aggregate and the workflow both ask)."""
    if Stage(stage) not in ALLOWED[action]:
        raise SessionStageError(stage, action)
