"""Complaints about a published nominee as use cases: lodge one in the window (any signed-in
user, or the secretary from a letter), resolve one (the secretary: dismissed, the proposal goes
back to where it was; upheld, it is rejected), and read them (secretary and auditors only: the
complainant is never shown to the public nor to the nominee's side).

The proposal's side: a complaint that holds it is the existing hold step taken by the system
(``PutOnHold``, reason "complaint <id> received in the publication window": no complainant
named); a dismissal is the existing ``Released``; an upheld complaint is ``ComplaintUpheld``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import today
from domain.kernel.errors import DomainError
from domain.proposal.aggregate import Proposal
from domain.proposal.complaints import (
    Complaint,
    ComplaintKind,
    ComplaintSource,
    Effect,
    NewComplaint,
    ProposalComplaints,
    Resolution,
    complaint_id,
    complaints_id,
)
from domain.proposal.publication import check_complaint_window
from services.application.directory import User
from services.application.process import HOLD, RELEASE, UPHOLD_COMPLAINT
from services.application.steps import take_step
from services.runtime import Runtime
from workflows.messages import ComplaintRequest, StepRequest

SECRETARY = "council_secretary"
SYSTEM = "system"


class NoSuchComplaint(DomainError):
    code = "not-found"


@dataclass(frozen=True)
class Lodging:
    kind: ComplaintKind
    text: str
    source: ComplaintSource = ComplaintSource.ONLINE
    sender: str = ""  # a letter's sender (the secretary records it); online: the user
    received_on: date | None = None  # a letter's day of receipt; today when not given


@dataclass(frozen=True)
class Lodged:
    """What the one who lodged a complaint is told."""

    complaint_id: str
    proposal_id: str
    held: bool  # the proposal was put on hold for it


def _load(runtime: Runtime, proposal_id: str) -> ProposalComplaints | None:
    try:
        found: ProposalComplaints = runtime.app.repository.get(complaints_id(proposal_id))
    except AggregateNotFoundError:
        return None
    return found


def complaints_of(runtime: Runtime, proposal_id: str) -> list[Complaint]:
    found = _load(runtime, proposal_id)
    return list(found.complaints) if found else []


def _lodge(
    runtime: Runtime, proposal: Proposal, new: NewComplaint, actor: Actor, key: str
) -> tuple[str, Effect]:
    pid = str(proposal.id)
    complaints = _load(runtime, pid) or ProposalComplaints.open(pid, actor, f"open:{key}")
    if not complaints.has_step(key):
        check_complaint_window(proposal, proposal.held_from, today())
    effect = complaints.lodge(new, proposal.state == "published", actor, key)
    runtime.app.save(complaints)
    return complaint_id(pid, key), effect


async def lodge(
    runtime: Runtime, proposal: Proposal, user: User, lodging: Lodging, key: str
) -> Lodged:
    """Receive a complaint in the window; the first one holds the published proposal."""
    letter = lodging.source == ComplaintSource.LETTER
    if letter and not user.has(SECRETARY):
        raise DomainError("only the council's secretary records a complaint received by letter")
    role = Role.COUNCIL_SECRETARY if letter else Role(next(iter(user.roles), Role.PROPOSER))
    new = NewComplaint(
        lodging.kind,
        lodging.source,
        lodging.text,
        lodging.sender if letter else user.username,
        lodging.received_on if letter and lodging.received_on else today(),
    )
    actor = Actor(user.username, role)
    found, effect = await asyncio.to_thread(_lodge, runtime, proposal, new, actor, key)
    if effect == Effect.HOLD:
        reason = f"complaint {found} received in the publication window"

        async def prepare() -> StepRequest:
            return StepRequest(SYSTEM, SYSTEM, reason)

        pid = str(proposal.id)
        await take_step(runtime.process, pid, HOLD, SYSTEM, f"complaint:{found}", prepare)
    return Lodged(found, str(proposal.id), effect == Effect.HOLD)


@dataclass(frozen=True)
class Resolving:
    complaint_id: str
    resolution: Resolution
    reason: str


def _resolve(
    runtime: Runtime, proposal_id: str, resolving: Resolving, actor: Actor, key: str
) -> Effect:
    complaints = _load(runtime, proposal_id)
    if complaints is None or resolving.complaint_id not in {c.id for c in complaints.complaints}:
        raise NoSuchComplaint("no complaint {id}", id=resolving.complaint_id)
    effect = complaints.resolve(
        resolving.complaint_id, resolving.resolution, resolving.reason, actor, key
    )
    runtime.app.save(complaints)
    return effect


async def resolve(
    runtime: Runtime, proposal: Proposal, user: User, resolving: Resolving, key: str
) -> tuple[Effect, str]:
    """Dismiss or uphold a complaint; answers its effect and the proposal's state after it."""
    pid = str(proposal.id)
    actor = Actor(user.username, Role.COUNCIL_SECRETARY)
    effect = await asyncio.to_thread(_resolve, runtime, pid, resolving, actor, key)
    found = resolving.complaint_id
    if effect == Effect.RELEASE:

        async def release() -> StepRequest:
            why = f"complaint {found} dismissed: {resolving.reason.strip()}"
            return StepRequest(user.username, SECRETARY, why)

        taken = await take_step(runtime.process, pid, RELEASE, user.username, key, release)
        return effect, taken.state
    if effect == Effect.REJECT:

        async def reject() -> ComplaintRequest:
            return ComplaintRequest(user.username, SECRETARY, found, resolving.reason)

        taken = await take_step(runtime.process, pid, UPHOLD_COMPLAINT, user.username, key, reject)
        await asyncio.to_thread(runtime.publications.unlist, pid)
        return effect, taken.state
    state = (await asyncio.to_thread(runtime.app.proposal, UUID(pid))).state
    return effect, state
