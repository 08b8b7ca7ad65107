"""Who performs a step: the person (or the system) and the role they act in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    PROPOSER = "proposer"
    CLUSTER_MEMBER = "cluster_member"
    COUNCIL_SECRETARY = "council_secretary"
    COUNCIL_MEMBER = "council_member"
    PRESIDENT = "president"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    id: str
    role: str  # always a Role: one given (or read back from an event) as text is converted

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))


SYSTEM = Actor(id="system", role=Role.SYSTEM)
