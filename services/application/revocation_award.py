"""Revoking an award (Law 06/2022 Art 93) and recording the recovery, as use cases. The
proposal's process has ended (decided, or the state body's outcome recorded), so these steps
are written to the event store directly; the revoking decision's number is held in its
issuer's series like any decision's."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import today
from domain.proposal.aggregate import Proposal
from domain.proposal.commands import RecordRecovery, Revoke
from services.application.directory import User
from services.runtime import Runtime


@dataclass(frozen=True)
class Revoking:
    ground: str  # a RevocationGround
    number: str  # the revoking decision's own number, e.g. 12/QĐ-LHHVN
    reason: str
    decided_on: date | None = None  # today in Vietnam when not given
    prize_money: int = 0  # VND paid with the award, to recover


@dataclass(frozen=True)
class Recovering:
    certificate_returned: bool
    money_recovered: int = 0
    note: str = ""
    recovered_on: date | None = None  # today in Vietnam when not given


async def revoke(
    runtime: Runtime, proposal: Proposal, user: User, revoking: Revoking, key: str
) -> Proposal:
    command = Revoke(
        actor=Actor(user.username, Role.PRESIDENT),
        key=key,
        ground=revoking.ground,
        number=revoking.number.strip(),
        decided_on=(revoking.decided_on or today()).isoformat(),
        reason=revoking.reason,
        prize_money=revoking.prize_money,
    )
    return await asyncio.to_thread(runtime.app.apply, UUID(str(proposal.id)), [command])


async def record_recovery(
    runtime: Runtime, proposal: Proposal, user: User, recovering: Recovering, key: str
) -> Proposal:
    command = RecordRecovery(
        actor=Actor(user.username, Role.COUNCIL_SECRETARY),
        key=key,
        recovered_on=(recovering.recovered_on or today()).isoformat(),
        certificate_returned=recovering.certificate_returned,
        money_recovered=recovering.money_recovered,
        note=recovering.note,
    )
    return await asyncio.to_thread(runtime.app.apply, UUID(str(proposal.id)), [command])
