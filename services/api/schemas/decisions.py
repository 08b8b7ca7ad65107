"""Decisions for many and delegations: request bodies and answers."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from domain.decision.aggregate import Decision
from domain.decision.delegation import Delegation
from services.api.schemas.proposals import Strict
from services.api.schemas.values import Bilingual
from services.api.text import Text
from services.application.decision_index import DecisionRow
from services.application.decisions import Delivery, Issued
from services.i18n.catalogue import both

Form = Literal["own", "TM", "KT", "Q", "TL", "TUQ"]


class ExclusionIn(Strict):
    proposal_id: Text = Field(min_length=1, max_length=64)
    reason: Text = Field(min_length=1, max_length=2_000)


class DecisionIn(Strict):
    number: Text = Field(min_length=1, max_length=50, examples=["05/QĐ-LHHVN"])
    decided_on: date
    proposal_ids: list[Text] = Field(min_length=1, max_length=500)
    signing_form: Form = "own"
    signer_title: Text = Field(default="", max_length=200, examples=["PHÓ CHỦ TỊCH"])
    excluded: list[ExclusionIn] = Field(default_factory=list, max_length=500)
    bases: list[Text] = Field(default_factory=list, max_length=30)
    proposed_by: Text = Field(default="", max_length=2_000)
    recipients: list[Text] = Field(default_factory=list, max_length=30)


class SignatureOut(BaseModel):
    form: str
    signer: str
    signer_name: str
    signer_title: str
    holder: str
    holder_title: str
    delegation_id: str | None
    block: list[str]


class AnnexLineOut(BaseModel):
    proposal_id: str
    nominee_name: str
    nominee_kind: str
    form: str
    form_name: str
    achievement: str


class ExclusionOut(BaseModel):
    proposal_id: str
    nominee_name: str
    reason: str


class RecordOut(BaseModel):
    name: str
    media_type: str
    sha256: str
    size: int


class DeliveryOut(BaseModel):
    proposal_id: str
    outcome: str
    state: str
    refusal: Bilingual | None = None

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryOut:
        refusal = Bilingual(**both(delivery.refusal)) if delivery.refusal else None
        return cls(
            proposal_id=delivery.proposal_id,
            outcome=delivery.outcome,
            state=delivery.state,
            refusal=refusal,
        )


class DecisionOut(BaseModel):
    id: str
    number: str
    issuer: str
    decided_on: date
    summary: str
    bases: list[str]
    proposed_by: str
    articles: list[str]
    recipients: list[str]
    signature: SignatureOut
    annex: list[AnnexLineOut]
    excluded: list[ExclusionOut]
    record: RecordOut
    issued_by: str
    deliveries: list[DeliveryOut] | None = None

    @classmethod
    def of(cls, decision: Decision, issued: Issued | None = None) -> DecisionOut:
        signature = decision.signature
        return cls(
            id=str(decision.id),
            number=decision.number,
            issuer=decision.issuer,
            decided_on=decision.decided_on,
            summary=decision.summary,
            bases=decision.bases,
            proposed_by=decision.proposed_by,
            articles=decision.articles,
            recipients=decision.recipients,
            signature=SignatureOut(**signature.to_json(), block=signature.block()),
            annex=[AnnexLineOut(**line.to_json()) for line in decision.annex],
            excluded=[ExclusionOut(**e.to_json()) for e in decision.excluded],
            record=RecordOut(**decision.record),
            issued_by=decision.issued_by,
            deliveries=[DeliveryOut.of(d) for d in issued.deliveries] if issued else None,
        )


class DecisionSummary(BaseModel):
    id: str
    number: str
    decided_on: date
    summary: str
    awardees: int
    excluded: int
    signer: str
    signing_form: str
    sha256: str

    @classmethod
    def of(cls, row: DecisionRow) -> DecisionSummary:
        return cls.model_validate({**vars(row), "number": row.written})


class DecisionList(BaseModel):
    items: list[DecisionSummary]


class DelegationIn(Strict):
    office: Literal["president", "council_chair", "standing_member"]
    deputy: Text = Field(min_length=1, max_length=200)
    starts_on: date
    ends_on: date
    acts: list[Text] = Field(min_length=1, max_length=20, examples=[["sign_decision"]])
    signing_form: Literal["KT", "Q", "TL", "TUQ"]
    reason: Text = Field(default="", max_length=2_000)


class RevocationIn(Strict):
    reason: Text = Field(min_length=1, max_length=2_000)


class DelegationOut(BaseModel):
    id: str
    holder: str
    office: str
    deputy: str
    starts_on: date
    ends_on: date
    acts: list[str]
    signing_form: str
    reason: str
    granted_by: str
    revoked_on: date | None
    revoked_reason: str

    @classmethod
    def of(cls, delegation: Delegation) -> DelegationOut:
        data = delegation.to_json()
        data["signing_form"] = data.pop("form")
        return cls.model_validate(data)


class DelegationList(BaseModel):
    items: list[DelegationOut]
