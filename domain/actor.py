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
    role: str


SYSTEM = Actor(id="system", role=Role.SYSTEM)
