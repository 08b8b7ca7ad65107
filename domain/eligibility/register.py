"""The award register: every award form and title a unit or person holds, by year.

Entries come from decided proposals (``decided``) or are imported from an earlier year's
records (``imported``); the imported ones are events of the nominee's ``NomineeRegister``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.eligibility.identity import normalised
from domain.kernel.actor import Actor


class Source(StrEnum):
    DECIDED = "decided"
    IMPORTED = "imported"
    PROPOSED = "proposed"  # not held: a proposal still under way (the rules count it too)
    REVOKED = "revoked"  # an award revoked by a later decision: the reference is that decision


class Title(StrEnum):
    """What a register holds that is not one of VUSTA's award forms."""

    GRASSROOTS_FIGHTER = "grassroots_fighter"  # Chiến sĩ thi đua cơ sở
    EXCELLENT_COMPLETION = "excellent_completion"  # Hoàn thành xuất sắc nhiệm vụ
    INITIATIVE = "initiative"  # an applied initiative (sáng kiến được công nhận)
    CLUSTER_LEADER = "cluster_leader"  # led its cluster or block that year (group: which)
    MINISTRY_CERTIFICATE = "ministry_certificate"  # Bằng khen cấp bộ, ngành, tỉnh
    GOOD_RATING = "good_rating"  # rated at least "good" that year


# Ratings and facts about a year, not awards earned for an achievement.
NOT_AWARDS = frozenset(
    {Title.EXCELLENT_COMPLETION, Title.INITIATIVE, Title.CLUSTER_LEADER, Title.GOOD_RATING}
)


@dataclass(frozen=True)
class AwardEntry:
    """One award or title held: ``code`` is a form code of the catalogue or a ``Title``;
    ``group`` is the cluster or block it was counted in (a Flag, a cluster's lead)."""

    nominee: str  # the key of domain.eligibility.identity.nominee_key
    year: int
    code: str
    achievement: str
    source: Source
    reference: str  # a decision number, a proposal id, a document
    group: str = ""

    @property
    def identity(self) -> tuple[str, int, str, str, str]:
        """Two entries with the same identity are the same record, imported twice."""
        return (self.nominee, self.year, self.code, normalised(self.achievement), self.reference)

    def describe(self) -> str:
        group = f" [{self.group}]" if self.group else ""
        return (
            f"{self.code} {self.year}{group}: {self.achievement} ({self.source}, {self.reference})"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "nominee": self.nominee,
            "year": self.year,
            "code": self.code,
            "achievement": self.achievement,
            "source": self.source.value,
            "reference": self.reference,
            "group": self.group,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AwardEntry:
        return cls(
            nominee=str(data["nominee"]),
            year=int(data["year"]),
            code=str(data["code"]),
            achievement=str(data["achievement"]),
            source=Source(data["source"]),
            reference=str(data["reference"]),
            group=str(data.get("group", "")),
        )


def register_id(nominee: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"urn:awards:register:{nominee}")


class NomineeRegister(Aggregate):
    """The entries imported for one nominee; an import that brings nothing new records
    nothing, so importing the same file again changes nothing."""

    class Opened(Aggregate.Created):
        nominee: str
        actor_id: str
        actor_role: str
        key: str

    @event(Opened)
    def __init__(self, *, nominee: str, actor_id: str, actor_role: str, key: str) -> None:
        self.nominee = nominee
        self.entries: list[AwardEntry] = []
        self.step_keys: list[str] = [key]

    @classmethod
    def open(cls, nominee: str, actor: Actor, key: str) -> NomineeRegister:
        return cls._create(
            cls.Opened,
            id=register_id(nominee),
            nominee=nominee,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    class EntriesImported(Aggregate.Event):
        entries: list[dict[str, Any]]
        source_file: str  # the workbook's sha256
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def new_entries(self, entries: Iterable[AwardEntry]) -> list[AwardEntry]:
        held = {entry.identity for entry in self.entries}
        fresh: dict[tuple[str, int, str, str, str], AwardEntry] = {}
        for entry in entries:
            if entry.identity not in held:
                fresh.setdefault(entry.identity, entry)
        return list(fresh.values())

    def import_entries(
        self, entries: Sequence[AwardEntry], source_file: str, reason: str, actor: Actor, key: str
    ) -> bool:
        """Record the entries not held yet; answers whether anything was recorded."""
        fresh = self.new_entries(entries)
        if key in self.step_keys or not fresh:
            return False
        self.trigger_event(
            self.EntriesImported,
            entries=[entry.to_json() for entry in fresh],
            source_file=source_file,
            reason=reason,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )
        return True

    @event(EntriesImported)
    def _imported(self, entries: list[dict[str, Any]], key: str) -> None:
        self.entries = [*self.entries, *(AwardEntry.from_json(e) for e in entries)]
        self.step_keys.append(key)
