"""Request and answer bodies of the cluster year's routes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class DocumentRef(BaseModel):
    document_id: str = Field(max_length=200)
    sha256: str = Field(min_length=64, max_length=64)


class LaunchIn(BaseModel):
    plan: DocumentRef
    head: str | None = Field(None, max_length=100, description="when the organisation has none")
    deputy: str | None = Field(None, max_length=100)


class CriteriaIn(BaseModel):
    template: str | None = Field(None, max_length=100, description="a rulebook template code")
    criteria: dict[str, Any] | None = None
    reason: str = Field("", max_length=2000)


class ScoreIn(BaseModel):
    criterion: str = Field(max_length=100)
    points: int = Field(ge=0, le=10_000)
    evidence: list[DocumentRef] = Field(default_factory=list, max_length=50)


class AdjustIn(BaseModel):
    member: str = Field(max_length=100)
    criterion: str = Field(max_length=100)
    points: int = Field(ge=0, le=10_000)
    reason: str = Field(max_length=2000)


class ContestIn(BaseModel):
    criterion: str = Field(max_length=100)
    reason: str = Field(max_length=2000)


class SettleIn(BaseModel):
    member: str = Field(max_length=100)
    criterion: str = Field(max_length=100)
    outcome: str = Field(max_length=10, description="keep or restore")
    reason: str = Field(max_length=2000)


class ReasonIn(BaseModel):
    reason: str = Field("", max_length=2000)


class YearEndIn(BaseModel):
    chair_order: list[str] = Field(default_factory=list, max_length=100)
    reason: str = Field("", max_length=2000)


class CandidatesIn(BaseModel):
    flag: str | None = Field(None, max_length=100)
    certificates: list[str] = Field(default_factory=list, max_length=20)
    government_flag: bool = Field(
        False, description="a Government Flag line for the leading unit (Law 06/2022 Art 25)"
    )
    reason: str = Field("", max_length=2000)


class ConferenceBallotIn(BaseModel):
    choices: dict[str, str] = Field(description="line id -> yes | no | abstain")


class ShareIn(BaseModel):
    share: dict[str, Any]


class ElectionIn(BaseModel):
    head: str = Field(max_length=100)
    deputy: str = Field(max_length=100)
    reason: str = Field(max_length=2000)
    place: str = Field("", max_length=200, description="where the conference met (the minutes)")


class PlaceIn(BaseModel):
    place: str = Field("", max_length=200, description="where the conference met (the minutes)")


class YearAnswer(BaseModel):
    stage: str
    message: str
    tracker: str | None = None
    receipt: str | None = None


class YearState(BaseModel):
    group_id: str
    year: int
    stage: str
    members: list[str]
    head: str
    deputy: str
    rulebook_version: str
    plan: dict[str, str]
    pledges: dict[str, dict[str, str]]
    criteria: dict[str, Any] | None
    scores: list[dict[str, Any]]
    mid_year: dict[str, int] | None
    ranking: list[dict[str, Any]]
    lines: list[str]
    voted: list[str]
    result: dict[str, dict[str, Any]] | None
    elected: dict[str, str] | None
    records: list[dict[str, str]] = Field(
        description="the conference's minutes and ballot count: {kind, sha256, document_id}"
    )
    notices: list[dict[str, str]]
    nominations: dict[str, dict[str, Any]] = Field(
        description="each carried line -> {proposal: id} or {refused: [{rule, version, facts}]}"
    )


class ListCountAnswer(BaseModel):
    """The conference's sealed box as trustees and auditors check it before opening anything:
    everything needed to recount (``awards ballot verify-list``), no secret, no voter's name."""

    vote_id: str
    election_key: dict[str, Any]
    lines: list[str]
    electorate_per_line: dict[str, int]
    sealed: bool
    voters: int
    voted_own_lines: list[list[str]] = Field(description="each voter's own lines: no names")
    box: list[dict[str, Any]] = Field(description="the sealed list ballots, sorted by receipt")
    totals: dict[str, list[list[str]]] | None = Field(description="per line, per option")
    shares: list[dict[str, Any]]
    shares_missing: int | None
    result: dict[str, dict[str, int]] | None = None
