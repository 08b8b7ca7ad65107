"""Request and answer bodies of the council session's routes."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from services.api.schemas.proposals import Strict
from services.api.text import JsonObject, Text

Choice = Literal["yes", "no", "abstain"]


class ConveneIn(Strict):
    held_on: date = Field(description="the session's day")
    place: Text = Field(min_length=1, max_length=200, examples=["Hà Nội"])


class AgendaIn(Strict):
    proposal_id: Text = Field(min_length=1, max_length=100)


class OrderIn(Strict):
    order: list[Text] = Field(min_length=1, max_length=200, description="every item's id")


class ReasonIn(Strict):
    reason: Text = Field(default="", max_length=2_000)


class AttendanceIn(Strict):
    member: Text = Field(min_length=1, max_length=100)
    attendance: Literal["present", "absent_written", "absent"]


class RecusalIn(Strict):
    member: Text | None = Field(
        default=None, max_length=100, description="left out: the caller declares its own"
    )
    proposal_id: Text = Field(min_length=1, max_length=100)
    reason: Text = Field(min_length=1, max_length=2_000)


class ListBallotIn(Strict):
    choices: dict[str, Choice] = Field(
        max_length=200, description="one choice per line (proposal id) of the member's list"
    )


class ShareIn(Strict):
    share: JsonObject


class SessionAnswer(BaseModel):
    id: str = Field(description="the session's id")
    stage: str
    message: str
    tracker: str | None = None
    receipt: str | None = Field(
        default=None, description="shown once: the voter's only proof its list is in the box"
    )


class SessionState(BaseModel):
    """A session as it stands: who attends is public; how anyone voted never is."""

    id: str
    year: int
    held_on: date
    place: str
    stage: str
    members: list[str]
    secretary: str
    agenda: list[dict[str, Any]]
    attendance: dict[str, str]
    recusals: list[dict[str, str]]
    quorum_checks: list[dict[str, Any]]
    voted: list[str]
    result: dict[str, dict[str, Any]] | None
    records: list[dict[str, str]]
    closing_reason: str | None
