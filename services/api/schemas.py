"""Request bodies: strict and clean text, so bad input is a 422 naming the field, never a 500."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.api.text import JsonObject, Text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NomineeIn(_Strict):
    kind: Literal["collective", "individual"]
    name: Text = Field(min_length=1, max_length=300)
    unit_id: Text | None = Field(default=None, max_length=100)
    position: Text | None = Field(default=None, max_length=300)
    gender: Literal["female", "male", "other"] | None = None


class ProposalCreate(_Strict):
    form: Text = Field(min_length=1, max_length=100, examples=["vusta_flag"])
    year: int = Field(ge=2000, le=2100, examples=[2026])
    nominee: NomineeIn
    title: Text = Field(min_length=1, max_length=500)
    summary: Text = Field(default="", max_length=20_000)


class CommentIn(_Strict):
    comment: Text = Field(default="", max_length=5_000)


class ReasonIn(_Strict):
    reason: Text = Field(min_length=1, max_length=5_000)


class VoteIn(_Strict):
    """Either a choice, which the service seals at once, or a ballot the voter's own client
    sealed under the vote's election key (see GET …/votes/{stage}/count for the key)."""

    choice: Literal["yes", "no", "abstain"] | None = None
    ballot: JsonObject | None = None

    @model_validator(mode="after")
    def _one_of(self) -> VoteIn:
        if (self.choice is None) == (self.ballot is None):
            raise ValueError("give either a choice or a sealed ballot, not both")
        return self


class ShareIn(_Strict):
    share: JsonObject


class AppraisalIn(_Strict):
    action: Literal["approve", "return"]
    reason: Text = Field(default="", max_length=5_000)


class DecisionIn(_Strict):
    outcome: Literal["awarded", "rejected"]
    number: Text = Field(min_length=1, max_length=50, examples=["17/QĐ-LHHVN"])
    decided_on: date | None = None
    reason: Text = Field(default="", max_length=5_000)


class ReceiptIn(_Strict):
    receipt: Text = Field(min_length=1, max_length=200)
