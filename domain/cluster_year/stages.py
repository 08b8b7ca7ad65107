"""The stages of a cluster's year and the one table of which step each stage allows."""

from __future__ import annotations

from enum import StrEnum

from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from domain.rulebook.version import YearStep


class Stage(StrEnum):
    PLEDGE = "pledge"  # launched: members sign the pledge, the head sets the criteria
    SCORING = "scoring"  # criteria frozen: self-scores, adjustments, contests, mid-year review
    RANKED = "ranked"  # year-end summary done: the head proposes the conference's candidates
    VOTING = "voting"  # the conference's ballot box is open
    COUNTED = "counted"  # the box is sealed and counted: next year's leaders are elected
    CLOSED = "closed"  # the election is recorded: the year is over


class Action(StrEnum):
    SIGN_PLEDGE = "sign the pledge"
    SET_CRITERIA = "set the criteria"
    OPEN_SCORING = "open scoring"
    SELF_SCORE = "self-score"
    ADJUST = "adjust a score"
    CONTEST = "contest an adjustment"
    SETTLE = "settle a contest"
    MID_YEAR = "record the mid-year review"
    YEAR_END = "rank at the year-end summary"
    PROPOSE_CANDIDATES = "propose the conference's candidates"
    CAST = "cast a conference ballot"
    CLOSE_CONFERENCE = "close the conference ballot"
    GIVE_SHARE = "give a decryption share"
    ELECT = "record the election"
    RECORD_CONFERENCE = "keep the conference's minutes and ballot count"
    RECORD_NOMINATION = "record what a carried line became"
    REMIND = "send a reminder"
    ESCALATE = "escalate a missed deadline"


_TIMED = frozenset(Stage) - {Stage.CLOSED}
ALLOWED: dict[Action, frozenset[Stage]] = {
    Action.SIGN_PLEDGE: frozenset({Stage.PLEDGE, Stage.SCORING}),  # a late signature is kept
    Action.SET_CRITERIA: frozenset({Stage.PLEDGE}),  # frozen once scoring opens
    Action.OPEN_SCORING: frozenset({Stage.PLEDGE}),
    Action.SELF_SCORE: frozenset({Stage.SCORING}),
    Action.ADJUST: frozenset({Stage.SCORING}),
    Action.CONTEST: frozenset({Stage.SCORING}),
    Action.SETTLE: frozenset({Stage.SCORING}),
    Action.MID_YEAR: frozenset({Stage.SCORING}),
    Action.YEAR_END: frozenset({Stage.SCORING}),
    Action.PROPOSE_CANDIDATES: frozenset({Stage.RANKED}),
    Action.CAST: frozenset({Stage.VOTING}),
    Action.CLOSE_CONFERENCE: frozenset({Stage.VOTING}),
    Action.GIVE_SHARE: frozenset({Stage.COUNTED}),
    Action.ELECT: frozenset({Stage.COUNTED}),
    Action.RECORD_CONFERENCE: frozenset({Stage.CLOSED}),  # the minutes hold the election
    Action.RECORD_NOMINATION: frozenset({Stage.CLOSED}),  # the proposals follow the records
    Action.REMIND: _TIMED,
    Action.ESCALATE: _TIMED,
}

# The rulebook deadline that times each stage (DOMAIN.md §2): the stage ends by that step.
DEADLINE_OF: dict[Stage, YearStep] = {
    Stage.PLEDGE: YearStep.PLEDGE,
    Stage.SCORING: YearStep.YEAR_END,
    Stage.RANKED: YearStep.CONFERENCE,
    Stage.VOTING: YearStep.CONFERENCE,
    Stage.COUNTED: YearStep.ELECTION,
}


class YearStageError(DomainError):
    """A step of the year was attempted in a stage that does not allow it."""

    code = "illegal-transition"

    def __init__(self, stage: str, action: Action) -> None:
        self.stage = stage
        super().__init__(
            Message(
                "cannot {step} in the cluster year's stage {stage}",
                step=Message(action.value),
                stage=Message.term("year-stage", stage),
            )
        )


def check_step(stage: str, action: Action) -> None:
    """Refuse a step the stage does not allow (the aggregate and the workflow both ask)."""
    if Stage(stage) not in ALLOWED[action]:
        raise YearStageError(stage, action)
