"""What the step routes answer: the outcome of a step, and a receipt check."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.application.steps import StepTaken
from services.application.voting import ReceiptCheck
from services.i18n.labels import state_label


class StateLabel(BaseModel):
    vi: str
    en: str


class StepAnswer(BaseModel):
    """The outcome of a step as the workflow recorded it. A repeat with the same
    `Idempotency-Key` answers this same body, however the proposal moved on since; read
    `GET /api/proposals/{id}` for the proposal as it is now."""

    id: str = Field(description="the proposal's id")
    state: str = Field(description="the proposal's state right after this step")
    state_label: StateLabel
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
            state_label=StateLabel(**state_label(taken.state)),
            message=taken.message,
            tracker=taken.tracker,
            receipt=taken.receipt,
        )


class ReceiptAnswer(BaseModel):
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
