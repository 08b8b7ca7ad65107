"""What the organisation endpoints answer and take: years, units, clusters and blocks, the
council, people, and the single edits an admin makes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from domain.kernel.actor import Role
from domain.organisation.values import Group, OrgContent, Person, Unit
from services.api.text import Text

Reason = Annotated[Text, Field(min_length=1, max_length=2000, description="why (kept)")]
Name = Annotated[Text, Field(min_length=1, max_length=200)]


class OrgYears(BaseModel):
    years: list[int]
    in_force: int | None = Field(description="the year in force today (Vietnam time)")


class YearSummary(BaseModel):
    year: int
    version: int
    copied_from: int | None
    president: str | None
    notes: str
    units: int
    clusters: int
    blocks: int
    people: int


class UnitOut(BaseModel):
    id: str
    name: str
    kind: str
    women_share: str | None
    group: str | None = Field(description="its cluster (or block) this year")

    @classmethod
    def of(cls, unit: Unit, content: OrgContent) -> UnitOut:
        group = content.group_of(unit.id)
        return cls(
            id=unit.id,
            name=unit.name,
            kind=unit.kind.value,
            women_share=unit.women_share,
            group=group.id if group else None,
        )


class GroupOut(BaseModel):
    id: str
    name: str
    scope: str
    members: list[str]
    head: str | None
    deputy: str | None
    supervisor: str | None
    note: str

    @classmethod
    def of(cls, group: Group) -> GroupOut:
        return cls.model_validate(group.to_json())


class GroupDetail(GroupOut):
    units: list[UnitOut]


class CouncilOut(BaseModel):
    president: str | None
    presidium: list[str]
    chair: str | None
    vice_chairs: list[str]
    standing_member: str | None
    members: list[str]


class PersonOut(BaseModel):
    username: str
    full_name: str
    unit_id: str | None
    roles: list[str]
    gender: str | None
    invented: bool

    @classmethod
    def of(cls, person: Person) -> PersonOut:
        return cls.model_validate(person.to_json())


class Imported(BaseModel):
    year: int
    sha256: str
    recorded: bool = Field(description="false when the year already held this content")


class Changed(BaseModel):
    year: int
    recorded: bool = Field(description="false when nothing changed (or the key was seen)")


class Leadership(BaseModel):
    head: Name
    deputy: Name
    reason: Reason


class Reasoned(BaseModel):
    reason: Reason


class Membership(BaseModel):
    unit_id: Name
    reason: Reason


class PersonIn(BaseModel):
    full_name: Name
    unit_id: Name | None = None
    roles: list[Role] = Field(default_factory=list, max_length=10)
    gender: Annotated[Text, Field(max_length=20)] | None = None
    reason: Reason
