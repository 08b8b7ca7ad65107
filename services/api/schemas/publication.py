"""Publication, complaints and revocation: request bodies and answers. The public nominee
carries only the allowed fields (no gender, position, accounts or complaints)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from domain.proposal.complaints import Complaint
from domain.proposal.publication import Revocation, RevocationGround
from services.api.schemas.proposals import Strict
from services.api.schemas.values import Bilingual
from services.api.text import Text
from services.application.public_list import PublicNominee
from services.i18n.labels import state_label

MAX_VND = 10_000_000_000  # a prize of ten billion đồng is far above any award's


class PublishIn(Strict):
    where: Text = Field(
        min_length=1, max_length=300, examples=["Cổng thông tin điện tử Liên hiệp Hội Việt Nam"]
    )
    published_on: date | None = Field(default=None, description="today in Vietnam when left out")


class PublicNomineeOut(BaseModel):
    proposal_id: str
    nominee: str
    nominee_kind: Literal["collective", "individual"]
    form: str
    form_name: Bilingual
    title: str = Field(description="the achievement")
    summary: str
    proposing_unit: str
    published_on: date
    window_end: date = Field(description="the window's last day: feedback is received until it")

    @classmethod
    def of(cls, found: PublicNominee) -> PublicNomineeOut:
        return cls(
            proposal_id=found.proposal_id,
            nominee=found.nominee,
            nominee_kind=found.nominee_kind,  # type: ignore[arg-type]
            form=found.form,
            form_name=Bilingual(vi=found.form_name_vi, en=found.form_name_en),
            title=found.title,
            summary=found.summary,
            proposing_unit=found.proposing_unit,
            published_on=found.published_on,
            window_end=found.window_end,
        )


class PublicNominees(BaseModel):
    nominees: list[PublicNomineeOut]


class ComplaintIn(Strict):
    kind: Literal["complaint", "denunciation"] = Field(
        default="complaint", description="khiếu nại (complaint) or tố cáo (denunciation)"
    )
    text: Text = Field(min_length=1, max_length=10_000)
    source: Literal["online", "letter"] = "online"
    sender: Text = Field(
        default="", max_length=300, description="a letter's sender (the secretary records it)"
    )
    received_on: date | None = Field(default=None, description="a letter's day of receipt")


class ComplaintLodged(BaseModel):
    """What the one who complained is told; no other complaint is named."""

    complaint_id: str
    proposal_id: str
    held: bool = Field(description="the proposal was put on hold for this complaint")


class ComplaintOut(BaseModel):
    """A complaint as the secretary and auditors read it, complainant included."""

    id: str
    kind: str
    source: str
    text: str
    complainant: str
    received_on: date
    recorded_by: str
    holding: bool
    resolution: str | None
    resolution_reason: str
    resolved_by: str

    @classmethod
    def of(cls, found: Complaint) -> ComplaintOut:
        return cls(
            id=found.id,
            kind=found.kind.value,
            source=found.source.value,
            text=found.text,
            complainant=found.complainant,
            received_on=found.received_on,
            recorded_by=found.recorded_by,
            holding=found.holding,
            resolution=found.resolution.value if found.resolution else None,
            resolution_reason=found.resolution_reason,
            resolved_by=found.resolved_by,
        )


class Complaints(BaseModel):
    complaints: list[ComplaintOut]


class ResolutionIn(Strict):
    resolution: Literal["dismissed", "upheld"]
    reason: Text = Field(min_length=1, max_length=5_000)


class Resolved(BaseModel):
    complaint_id: str
    effect: Literal["none", "release", "reject"] = Field(
        description="release: back to where it was; reject: the nominee is rejected"
    )
    state: str
    state_label: Bilingual


class RevocationIn(Strict):
    ground: RevocationGround = Field(description="a ground of Law 06/2022 Art 93")
    number: Text = Field(min_length=1, max_length=50, examples=["12/QĐ-LHHVN"])
    reason: Text = Field(min_length=1, max_length=5_000)
    decided_on: date | None = Field(default=None, description="today in Vietnam when left out")
    prize_money: int = Field(default=0, ge=0, le=MAX_VND, description="VND to recover")


class RecoveryIn(Strict):
    certificate_returned: bool
    money_recovered: int = Field(default=0, ge=0, le=MAX_VND)
    note: Text = Field(default="", max_length=5_000)
    recovered_on: date | None = Field(default=None, description="today in Vietnam when left out")


class RevocationAnswer(BaseModel):
    id: str
    state: str
    state_label: Bilingual
    revoking_number: str
    cites_number: str
    prize_money: int
    recovered: bool

    @classmethod
    def of(
        cls, proposal_id: str, state: str, revocation: Revocation, recovered: bool
    ) -> RevocationAnswer:
        return cls(
            id=proposal_id,
            state=state,
            state_label=Bilingual(**state_label(state)),
            revoking_number=revocation.number,
            cites_number=revocation.cites_number,
            prize_money=revocation.prize_money,
            recovered=recovered,
        )
