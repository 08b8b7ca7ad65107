"""Complaints (khiếu nại) and denunciations (tố cáo) about a published nominee, received in its
feedback window: one ``ProposalComplaints`` per proposal, apart from the proposal itself, so
that who complained is never written where the nominee's side reads (the proposal's history).

Which complaint holds the proposal is decided here: the first open one; dismissed, it passes the
hold to the next open one, or releases the proposal when none is left.
"""

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


class ComplaintKind(StrEnum):
    COMPLAINT = "complaint"  # khiếu nại
    DENUNCIATION = "denunciation"  # tố cáo


class ComplaintSource(StrEnum):
    ONLINE = "online"  # lodged by a signed-in user
    LETTER = "letter"  # received on paper, recorded by the secretary


class Resolution(StrEnum):
    DISMISSED = "dismissed"  # the proposal goes back to where it was
    UPHELD = "upheld"  # the proposal is rejected


class Effect(StrEnum):
    """What a complaint's step does to its proposal."""

    NONE = "none"
    HOLD = "hold"
    RELEASE = "release"
    REJECT = "reject"


@dataclass(frozen=True)
class Complaint:
    id: str
    kind: ComplaintKind
    source: ComplaintSource
    text: str
    complainant: str  # a username, or the sender a letter names
    received_on: date
    recorded_by: str
    holding: bool = False  # this complaint is the one the proposal's hold stands for
    resolution: Resolution | None = None
    resolution_reason: str = ""
    resolved_by: str = ""
    effect: Effect = Effect.NONE  # what its lodging or resolution did to the proposal

    @property
    def is_open(self) -> bool:
        return self.resolution is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "source": self.source.value,
            "text": self.text,
            "complainant": self.complainant,
            "received_on": self.received_on.isoformat(),
            "recorded_by": self.recorded_by,
            "holding": self.holding,
            "resolution": self.resolution.value if self.resolution else None,
            "resolution_reason": self.resolution_reason,
            "resolved_by": self.resolved_by,
            "effect": self.effect.value,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Complaint:
        resolution = data.get("resolution")
        return cls(
            id=str(data["id"]),
            kind=ComplaintKind(data["kind"]),
            source=ComplaintSource(data["source"]),
            text=str(data["text"]),
            complainant=str(data["complainant"]),
            received_on=date.fromisoformat(data["received_on"]),
            recorded_by=str(data["recorded_by"]),
            holding=bool(data["holding"]),
            resolution=Resolution(resolution) if resolution else None,
            resolution_reason=str(data["resolution_reason"]),
            resolved_by=str(data["resolved_by"]),
            effect=Effect(data["effect"]),
        )


@dataclass(frozen=True)
class NewComplaint:
    kind: ComplaintKind
    source: ComplaintSource
    text: str
    complainant: str
    received_on: date


def complaints_id(proposal_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"urn:awards:complaints:{proposal_id}")


def complaint_id(proposal_id: str, key: str) -> str:
    """A complaint's id follows from its proposal and the lodging key (a repeat names it)."""
    return str(uuid5(NAMESPACE_URL, f"urn:awards:complaint:{proposal_id}:{key}"))


class ProposalComplaints(Aggregate):
    """Every complaint received about one proposal, open or resolved."""

    class Opened(Aggregate.Created):
        proposal_id: str
        actor_id: str
        actor_role: str
        key: str

    @event(Opened)
    def __init__(self, *, proposal_id: str, actor_id: str, actor_role: str, key: str) -> None:
        self.proposal_id = proposal_id
        self.complaints: list[Complaint] = []
        self.step_keys: list[str] = [key]

    @classmethod
    def open(cls, proposal_id: str, actor: Actor, key: str) -> ProposalComplaints:
        return cls._create(
            cls.Opened,
            id=complaints_id(proposal_id),
            proposal_id=proposal_id,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    def complaint(self, found_id: str) -> Complaint:
        for complaint in self.complaints:
            if complaint.id == found_id:
                return complaint
        raise DomainError("no complaint {id}", id=found_id)

    def has_step(self, key: str) -> bool:
        return key in self.step_keys

    @property
    def holder(self) -> Complaint | None:
        """The open complaint the proposal's hold stands for, if one does."""
        return next((c for c in self.complaints if c.is_open and c.holding), None)

    class Lodged(Aggregate.Event):
        complaint: dict[str, Any]
        actor_id: str
        actor_role: str
        key: str

    def lodge(self, new: NewComplaint, can_hold: bool, actor: Actor, key: str) -> Effect:
        """Receive a complaint; answer whether the proposal is to be held for it. It holds
        the proposal when none holds it yet and the proposal can be held (it is published)."""
        if self.has_step(key):
            return self.complaint(complaint_id(self.proposal_id, key)).effect
        if not new.text.strip():
            raise InvalidInput("say what the complaint is about")
        if not new.complainant.strip():
            raise InvalidInput("the complainant is required")
        holding = can_hold and self.holder is None
        complaint = Complaint(
            id=complaint_id(self.proposal_id, key),
            kind=ComplaintKind(new.kind),
            source=ComplaintSource(new.source),
            text=new.text.strip(),
            complainant=new.complainant.strip(),
            received_on=new.received_on,
            recorded_by=actor.id,
            holding=holding,
            effect=Effect.HOLD if holding else Effect.NONE,
        )
        self.trigger_event(
            self.Lodged,
            complaint=complaint.to_json(),
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )
        return complaint.effect

    @event(Lodged)
    def _lodged(self, complaint: dict[str, Any], key: str) -> None:
        self.complaints.append(Complaint.from_json(complaint))
        self.step_keys.append(key)

    class Resolved(Aggregate.Event):
        complaint_id: str
        resolution: str
        reason: str
        effect: str
        hold_passed_to: str | None
        actor_id: str
        actor_role: str
        key: str

    def resolve(
        self, found_id: str, resolution: Resolution, reason: str, actor: Actor, key: str
    ) -> Effect:
        """Dismiss or uphold an open complaint; answer what it does to the proposal."""
        complaint = self.complaint(found_id)
        if self.has_step(key):
            return complaint.effect
        if not complaint.is_open:
            raise DomainError(
                "complaint {id} was already {resolution}",
                id=found_id,
                resolution=str(complaint.resolution),
            )
        if not reason.strip():
            raise InvalidInput("a reason is required to resolve a complaint")
        passed_to: str | None = None
        effect = Effect.REJECT if resolution == Resolution.UPHELD else Effect.NONE
        if resolution == Resolution.DISMISSED and complaint.holding:
            others = [c for c in self.complaints if c.is_open and c.id != found_id]
            passed_to = others[0].id if others else None
            effect = Effect.NONE if others else Effect.RELEASE
        self.trigger_event(
            self.Resolved,
            complaint_id=found_id,
            resolution=Resolution(resolution).value,
            reason=reason.strip(),
            effect=effect.value,
            hold_passed_to=passed_to,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )
        return effect

    @event(Resolved)
    def _resolved(
        self,
        complaint_id: str,
        resolution: str,
        reason: str,
        effect: str,
        hold_passed_to: str | None,
        actor_id: str,
        key: str,
    ) -> None:
        resolved: list[Complaint] = []
        for complaint in self.complaints:
            if complaint.id == complaint_id:
                complaint = replace(
                    complaint,
                    holding=False,
                    resolution=Resolution(resolution),
                    resolution_reason=reason,
                    resolved_by=actor_id,
                    effect=Effect(effect),
                )
            elif complaint.id == hold_passed_to:
                complaint = replace(complaint, holding=True)
            resolved.append(complaint)
        self.complaints = resolved
        self.step_keys.append(key)
