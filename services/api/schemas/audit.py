"""What /api/audit answers: a proposal's record event by event, a verification, a seal."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.api.schemas.proposals import Decision, HistoryEvent, Nominee, Tally, VoteResult
from services.api.schemas.values import Bilingual


class RecordedDocument(BaseModel):
    name: str
    kind: str
    sha256: str
    dossier_version: int


class VoteAfter(BaseModel):
    voted: int
    electorate: int
    counting: bool
    result: VoteResult | None


class StateAfter(BaseModel):
    """The proposal as an event left it."""

    state: str
    state_label: Bilingual
    dossier_version: int
    documents: list[RecordedDocument]
    votes: dict[str, VoteAfter]
    decision: Decision | None


class RecordedEvent(HistoryEvent):
    time_vietnam: Bilingual
    actor_label: Bilingual
    description: Bilingual
    state_after: StateAfter


class RecordedDecision(Decision):
    text: Bilingual


class RecordIntegrity(BaseModel):
    events_verified: int
    ok: bool
    failure: str | None
    text: Bilingual


class TallyCheck(BaseModel):
    """A closed vote recounted from its sealed box with no secret."""

    stage: str
    stage_label: Bilingual
    recounted_text: Bilingual | None
    outcome_label: Bilingual | None
    recorded_voters: int
    ballots_in_box: int
    election_key: str = Field(description="the key's fingerprint")
    trustee_shares: list[int]
    recounted: Tally | None
    outcome_recomputed: str | None
    consistent: bool
    problems: list[str]


class AuditRecord(BaseModel):
    """A proposal's whole record, as an auditor files it: each machine-readable field with
    the words an official reads beside it."""

    proposal_id: str
    exported_at: str = Field(description="ISO-8601, UTC")
    exported_at_vietnam: Bilingual
    state: StateAfter
    title: str
    form: str
    form_label: Bilingual
    year: int
    nominee: Nominee
    proposing_unit: str
    proposing_unit_name: str
    decision: RecordedDecision | None
    events: list[RecordedEvent]
    integrity: RecordIntegrity
    tallies: list[TallyCheck]


class LogHead(BaseModel):
    notification_id: int
    log_hash: str


class StreamChecked(BaseModel):
    proposal_id: str
    versions: list[int] = Field(description="[first, last], empty when it has no event")
    last_event_hash: str


class SealReached(BaseModel):
    up_to: int
    sealed_at: str
    source: str
    sealed_events: int


class ChainFailure(BaseModel):
    notification_id: int
    kind: str = Field(examples=["edited"])
    proposal_id: str | None
    version: int | None
    detail: str


class Verification(BaseModel):
    """What was checked (the whole log or one proposal's stream), against which seal, and the
    first failure if any; `summary` says it in words."""

    ok: bool
    events_verified: int
    seals_checked: int
    first_notification_id: int
    skipped_ids: int
    head: LogHead | None
    stream: StreamChecked | None
    seal: SealReached | None
    unsealed_events: int
    failure: ChainFailure | None
    summary: list[Bilingual]


class SealDocument(BaseModel):
    """A signed seal file: the running log hash at a notification id, signed with Ed25519."""

    format: str
    up_to: int
    log_hash: str
    events: int
    sealed_at: str
    public_key: str = Field(description="base64 Ed25519 public key")
    signature: str = Field(description="base64 signature over the canonical body")
