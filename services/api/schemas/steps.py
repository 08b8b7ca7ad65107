"""The human steps: their request bodies, the step answer, a receipt check and a vote's count."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from domain.kernel.message import Message
from services.api.schemas.proposals import Strict, VoteResult
from services.api.schemas.values import Bilingual
from services.api.text import JsonObject, Text
from services.application.steps import StepTaken
from services.application.voting import ReceiptCheck, VoteCount
from services.i18n.labels import state_label


class Refusal(ValueError):
    """A validator's refusal with its translatable message (the 422 reads `message`)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


class CommentIn(Strict):
    comment: Text = Field(default="", max_length=5_000)


class ReasonIn(Strict):
    reason: Text = Field(min_length=1, max_length=5_000)


class VoteIn(Strict):
    """Either a choice, which the service seals at once, or a ballot the voter's own client
    sealed under the vote's election key (see GET …/votes/{stage}/count for the key)."""

    choice: Literal["yes", "no", "abstain"] | None = None
    ballot: JsonObject | None = None

    @model_validator(mode="after")
    def _one_of(self) -> VoteIn:
        if (self.choice is None) == (self.ballot is None):
            raise Refusal(Message("give either a choice or a sealed ballot, not both"))
        return self


class ShareIn(Strict):
    share: JsonObject


class AppraisalIn(Strict):
    action: Literal["approve", "return"]
    reason: Text = Field(default="", max_length=5_000)
    # --- session ---
    council: Literal["vote", "session"] = Field(
        default="vote",
        description="approved to its own council vote, or to wait for a council session's agenda",
    )


class DecisionIn(Strict):
    outcome: Literal["awarded", "rejected"]
    number: Text = Field(min_length=1, max_length=50, examples=["17/QĐ-LHHVN"])
    decided_on: date | None = None
    reason: Text = Field(default="", max_length=5_000)


class ForwardIn(Strict):
    """The forwarding letter (tờ trình) the service generates and stores with its sha256."""

    letter_number: Text = Field(min_length=1, max_length=50, examples=["05/TTr-LHHVN"])
    recipient: Text = Field(
        default="Ban Thi đua - Khen thưởng Trung ương", min_length=1, max_length=300
    )
    sent_on: date | None = None


class ReceiptIn(Strict):
    receipt: Text = Field(min_length=1, max_length=200)


class StepAnswer(BaseModel):
    """The outcome of a step as the workflow recorded it. A repeat with the same
    `Idempotency-Key` answers this same body, however the proposal moved on since; read
    `GET /api/proposals/{id}` for the proposal as it is now."""

    id: str = Field(description="the proposal's id")
    state: str = Field(description="the proposal's state right after this step")
    state_label: Bilingual
    message: str = Field(description="what the workflow did, e.g. 'ballot recorded'")
    tracker: str | None = Field(
        default=None, description="a cast ballot's tracker, to find it in the sealed box"
    )
    receipt: str | None = Field(
        default=None,
        description="a cast ballot's receipt: shown only to its voter, only they may check it",
    )

    @classmethod
    def of(cls, taken: StepTaken) -> StepAnswer:
        return cls(
            id=taken.proposal_id,
            state=taken.state,
            state_label=Bilingual(**state_label(taken.state)),
            message=taken.message,
            tracker=taken.tracker,
            receipt=taken.receipt,
        )


class ReceiptAnswer(BaseModel):
    """Whether the voter's sealed ballot is in the box, and counted; never how they voted."""

    counted: bool
    in_box: bool
    detail: str
    stage: str | None = None
    tracker: str | None = None

    @classmethod
    def of(cls, check: ReceiptCheck) -> ReceiptAnswer:
        return cls(
            counted=check.counted,
            in_box=check.in_box,
            detail=check.detail,
            stage=check.stage,
            tracker=check.tracker,
        )


class ElectionKeyView(BaseModel):
    scheme: str
    threshold: int
    trustees: int
    commitments: list[str] = Field(description="Feldman commitments, in hex")
    fingerprint: str


class VoteCountAnswer(BaseModel):
    """A vote's sealed totals as trustees and auditors check them before opening anything."""

    stage: str
    election_key: ElectionKeyView
    context: str
    sealed: bool
    voters: int
    ballots: int
    box: list[dict[str, Any]] = Field(description="the sealed ballots, sorted by receipt hash")
    totals: list[list[str]] | None = Field(description="one ciphertext [alpha, beta] per option")
    shares_from: list[int]
    shares_missing: int | None
    result: VoteResult | None

    @classmethod
    def of(cls, count: VoteCount) -> VoteCountAnswer:
        return cls.model_validate(count, from_attributes=True)
