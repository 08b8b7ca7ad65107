"""Holds on a nominee: discipline, investigation or inspection, and complaints being verified
(Decree 98 Art 4). Recorded and released as events of the nominee's ``NomineeHolds``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError, InvalidInput


class HoldKind(StrEnum):
    DISCIPLINE = "discipline"  # kỷ luật
    INVESTIGATION = "investigation"  # điều tra, thanh tra, kiểm tra
    COMPLAINT = "complaint"  # khiếu nại, tố cáo đang xác minh


@dataclass(frozen=True)
class Hold:
    id: str
    kind: HoldKind
    reason: str
    reference: str  # the decision or letter that opened it
    start: date
    until: date | None  # the end foreseen when recorded (a discipline's term), if any
    recorded_by: str
    released_on: date | None = None  # a discipline's end date is the day it is released
    release_reason: str = ""

    @property
    def is_open(self) -> bool:
        return self.released_on is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "reason": self.reason,
            "reference": self.reference,
            "start": self.start.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "recorded_by": self.recorded_by,
            "released_on": self.released_on.isoformat() if self.released_on else None,
            "release_reason": self.release_reason,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Hold:
        return cls(
            id=str(data["id"]),
            kind=HoldKind(data["kind"]),
            reason=str(data["reason"]),
            reference=str(data["reference"]),
            start=date.fromisoformat(data["start"]),
            until=date.fromisoformat(data["until"]) if data.get("until") else None,
            recorded_by=str(data["recorded_by"]),
            released_on=date.fromisoformat(data["released_on"])
            if data.get("released_on")
            else None,
            release_reason=str(data.get("release_reason", "")),
        )


def holds_id(nominee: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"urn:awards:holds:{nominee}")


def hold_id(nominee: str, key: str) -> str:
    """A hold's id follows from the nominee and the recording key (a repeat names the same)."""
    return str(uuid5(NAMESPACE_URL, f"urn:awards:hold:{nominee}:{key}"))


class NomineeHolds(Aggregate):
    """Every hold recorded on one nominee, open or released."""

    class Opened(Aggregate.Created):
        nominee: str
        actor_id: str
        actor_role: str
        key: str

    @event(Opened)
    def __init__(self, *, nominee: str, actor_id: str, actor_role: str, key: str) -> None:
        self.nominee = nominee
        self.holds: list[Hold] = []
        self.step_keys: list[str] = [key]

    @classmethod
    def open(cls, nominee: str, actor: Actor, key: str) -> NomineeHolds:
        return cls._create(
            cls.Opened,
            id=holds_id(nominee),
            nominee=nominee,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    def hold(self, hold_id: str) -> Hold:
        for hold in self.holds:
            if hold.id == hold_id:
                return hold
        raise DomainError("no hold {id}", id=hold_id)

    @property
    def open_holds(self) -> list[Hold]:
        return [hold for hold in self.holds if hold.is_open]

    class HoldRecorded(Aggregate.Event):
        hold_id: str
        kind: str
        reason: str
        reference: str
        start: str
        until: str | None
        actor_id: str
        actor_role: str
        key: str

    def record(
        self,
        kind: HoldKind,
        reason: str,
        reference: str,
        start: date,
        until: date | None,
        actor: Actor,
        key: str,
    ) -> str:
        """Record a hold; answers its id. A repeat with the same key records nothing."""
        new_id = hold_id(self.nominee, key)
        if key in self.step_keys:
            return new_id
        if not reason.strip():
            raise InvalidInput("a hold needs a reason")
        if until is not None and until < start:
            raise InvalidInput(
                "a hold cannot end ({until}) before it starts ({start})",
                until=until.isoformat(),
                start=start.isoformat(),
            )
        self.trigger_event(
            self.HoldRecorded,
            hold_id=new_id,
            kind=HoldKind(kind).value,
            reason=reason.strip(),
            reference=reference.strip(),
            start=start.isoformat(),
            until=until.isoformat() if until else None,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )
        return new_id

    @event(HoldRecorded)
    def _recorded(
        self,
        hold_id: str,
        kind: str,
        reason: str,
        reference: str,
        start: str,
        until: str | None,
        actor_id: str,
        key: str,
    ) -> None:
        hold = Hold(
            id=hold_id,
            kind=HoldKind(kind),
            reason=reason,
            reference=reference,
            start=date.fromisoformat(start),
            until=date.fromisoformat(until) if until else None,
            recorded_by=actor_id,
        )
        self.holds = [*self.holds, hold]
        self.step_keys.append(key)

    class HoldReleased(Aggregate.Event):
        hold_id: str
        reason: str
        ended_on: str
        actor_id: str
        actor_role: str
        key: str

    def release(self, hold_id: str, reason: str, ended_on: date, actor: Actor, key: str) -> None:
        """Release an open hold on ``ended_on`` (for a discipline: the day it ends)."""
        if key in self.step_keys:
            return
        hold = self.hold(hold_id)
        if not hold.is_open:
            raise DomainError("hold {id} was released already", id=hold_id)
        if not reason.strip():
            raise InvalidInput("releasing a hold needs a reason")
        if ended_on < hold.start:
            raise InvalidInput(
                "a hold cannot end ({until}) before it starts ({start})",
                until=ended_on.isoformat(),
                start=hold.start.isoformat(),
            )
        self.trigger_event(
            self.HoldReleased,
            hold_id=hold_id,
            reason=reason.strip(),
            ended_on=ended_on.isoformat(),
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event(HoldReleased)
    def _released(self, hold_id: str, reason: str, ended_on: str, key: str) -> None:
        day = date.fromisoformat(ended_on)
        self.holds = [
            replace(h, released_on=day, release_reason=reason) if h.id == hold_id else h
            for h in self.holds
        ]
        self.step_keys.append(key)
