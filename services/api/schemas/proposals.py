"""Proposals: the draft a proposer sends, and the proposal, list page and history answered."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from services.api.schemas.values import Bilingual, Timestamp
from services.api.text import Text

# An event's own fields, written exactly as the service always wrote them (times with +00:00).
EventData = Annotated[
    dict[str, Any], PlainSerializer(jsonable_encoder, return_type=dict[str, Any], when_used="json")
]


class Strict(BaseModel):
    """A request body: unknown fields refused, text trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NomineeIn(Strict):
    kind: Literal["collective", "individual"]
    name: Text = Field(min_length=1, max_length=300)
    unit_id: Text | None = Field(default=None, max_length=100)
    position: Text | None = Field(default=None, max_length=300)
    gender: Literal["female", "male", "other"] | None = None


class ProposalCreate(Strict):
    form: Text = Field(min_length=1, max_length=100, examples=["vusta_flag"])
    year: int = Field(ge=2000, le=2100, examples=[2026])
    nominee: NomineeIn
    title: Text = Field(min_length=1, max_length=500)
    summary: Text = Field(default="", max_length=20_000)


class Nominee(BaseModel):
    """Who is nominated; the optional fields appear only when they were given."""

    kind: str
    name: str
    unit_id: str | None = None
    position: str | None = None
    gender: str | None = None


class Document(BaseModel):
    name: str
    media_type: str
    sha256: str
    size: int
    kind: str
    dossier_version: int


class Tally(BaseModel):
    yes: int
    no: int
    abstain: int


class VoteResult(BaseModel):
    tally: Tally
    outcome: str
    reason: str
    closed_on: str = Field(description="the day the vote closed, in Vietnam (ISO date)")


class BallotRuleView(BaseModel):
    """The rule recorded when the vote opened (fractions as text, e.g. "2/3")."""

    quorum: str = "2/3"
    threshold: str = "1/2"
    comparison: str = "more_than"
    base: str = "all"
    tie: str = "threshold"
    self_vote_allowed: bool = False


class BoxEntry(BaseModel):
    receipt: str = Field(description="the SHA-256 of a voter's receipt")
    tracker: str


class VoteView(BaseModel):
    """A vote as everyone may see it: who voted, never how."""

    rule_text: str
    yes_needed: int
    electorate: list[str]
    voted: list[str]
    ballots_cast: int
    deadline: Timestamp
    rule: BallotRuleView
    open: bool
    sealed: bool
    counting: bool = Field(description="sealed, waiting for the trustees' shares")
    shares_from: list[int]
    result: VoteResult | None
    ballot_box: list[BoxEntry] | None


class Appraisal(BaseModel):
    dossier_version: int
    deadline: Timestamp
    overdue: bool


class Return(BaseModel):
    reason: str
    dossier_version: int
    by: str


class Decision(BaseModel):
    outcome: str
    number: str
    decided_on: str = Field(description="ISO date")
    reason: str
    by: str


class ConferenceRecord(BaseModel):
    kind: str = Field(description="review_minutes or ballot_count")
    sha256: str
    document_id: str


class ConferenceView(BaseModel):
    """The cluster's year-end conference that voted the proposal, with its records."""

    id: str
    records: list[ConferenceRecord]


class ForwardingView(BaseModel):
    """A state-level form sent on with its forwarding letter (tờ trình)."""

    letter_number: str
    sent_on: str = Field(description="ISO date")
    recipient: str
    letter_sha256: str = Field(description="the generated letter, a document of the dossier")
    by: str


class ExternalOutcomeView(BaseModel):
    """The state body's decision on a forwarded proposal."""

    outcome: str
    number: str
    decided_on: str = Field(description="ISO date")
    issuer: str
    document_sha256: str
    by: str


class ProposalView(BaseModel):
    """A proposal as it is (or was, with `as_of`)."""

    id: str
    version: int
    state: str
    state_label: Bilingual
    form: str
    year: int
    title: str
    summary: str
    nominee: Nominee
    proposing_unit: str
    cluster: str
    created_by: str
    created_on: Timestamp
    modified_on: Timestamp
    dossier_version: int
    documents: list[Document]
    missing_documents: list[str]
    votes: dict[str, VoteView] = Field(description="by stage: cluster, council")
    appraisal: Appraisal | None
    returns: list[Return]
    held_from: str | None
    decision: Decision | None
    closing_reason: str | None
    rulebook_version: str = Field(description="the rulebook version in force when lodged")
    organisation_year: int | None = Field(
        None, description="the organisation year in force for the proposal's emulation year"
    )
    forwarded: bool = Field(description="a state-level form: forwarded, never decided by VUSTA")
    conference: ConferenceView | None = None
    forwarding: ForwardingView | None = None
    external_outcome: ExternalOutcomeView | None = None
    as_of: Timestamp | None = Field(default=None, description="only when asked with as_of")


class DraftPending(ProposalView):
    """A draft saved while Temporal was away: its process starts by itself later."""

    process: Literal["pending"]
    message: str = Field(description="in Vietnamese")
    message_en: str


class ListedProposal(BaseModel):
    id: UUID
    title: str
    form: str
    year: int
    cluster: str
    proposing_unit: str
    nominee: str = Field(description="the nominee's name")
    state: str
    updated_at: Timestamp


class ProposalPage(BaseModel):
    items: list[ListedProposal]
    total: int
    page: int
    page_size: int


class HistoryEvent(BaseModel):
    sequence: int
    type: str = Field(examples=["Nominated"])
    time: Timestamp
    actor: str | None
    role: str | None
    data: EventData


class History(BaseModel):
    id: str
    events: list[HistoryEvent]
