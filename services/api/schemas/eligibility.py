"""Bodies and answers of /api/register and /api/holds."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from domain.eligibility.holds import Hold, HoldKind
from domain.eligibility.register import AwardEntry
from services.api.text import Text

NomineeKey = Annotated[
    str,
    Field(
        min_length=3,
        max_length=300,
        description="The register's key of a nominee: unit:<unit id>, unit:<unit>/<name>,"
        " person:<username> or person:<unit>/<name> (names normalised: lower case, one space)",
        examples=["unit:lhh-phu-yen", "person:lhh-phu-yen/nguyễn văn a"],
    ),
]


class EntryView(BaseModel):
    nominee: str
    year: int
    code: str
    achievement: str
    source: str
    reference: str
    group: str

    @classmethod
    def of(cls, entry: AwardEntry) -> EntryView:
        return cls.model_validate(entry.to_json())


class RegisterView(BaseModel):
    entries: list[EntryView]


class ImportView(BaseModel):
    entries: int = Field(description="rows in the workbook")
    recorded: int = Field(description="entries new to the register (0 on a re-import)")
    nominees: int = Field(description="nominees whose register changed")


class HoldCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nominee: Annotated[NomineeKey, Text]
    kind: HoldKind
    reason: Annotated[Text, Field(min_length=1, max_length=2000)]
    reference: Annotated[Text, Field(max_length=200)] = ""
    start: date
    until: date | None = None


class HoldRelease(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[Text, Field(min_length=1, max_length=2000)]
    ended_on: date | None = Field(
        default=None, description="the day it ended (a discipline's end); today when absent"
    )


class HoldView(BaseModel):
    id: str
    nominee: str
    kind: str
    reason: str
    reference: str
    start: date
    until: date | None
    recorded_by: str
    released_on: date | None
    release_reason: str

    @classmethod
    def of(cls, nominee: str, hold: Hold) -> HoldView:
        return cls.model_validate({**hold.to_json(), "nominee": nominee})


class HoldList(BaseModel):
    holds: list[HoldView]
