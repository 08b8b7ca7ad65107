"""The rulebook and the working calendar as the API answers them and takes an admin's change."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.api.text import Text
from services.application.rulebook_file import RulebookFile


class VersionSummary(BaseModel):
    code: str
    title: str
    effective_from: date
    effective_to: date | None = Field(description="the first day it is no longer in force")


class VersionChange(BaseModel):
    """An admin's new version or correction: the version file's content and why."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: Text = Field(min_length=1, max_length=2000)
    version: RulebookFile


class CalendarDayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    day: date
    kind: Literal["day_off", "working_saturday"]
    reason: Text = Field(min_length=1, max_length=2000)


class CalendarDayOut(BaseModel):
    day: date
    working: bool = Field(description="a make-up Saturday; false: a day off")
    source: str = Field(description="holiday (holidays.VN), table (the defaults) or recorded")
    reason: str
    actor: str = ""


class Recorded(BaseModel):
    recorded: bool = Field(description="false: the same change was recorded before")
