"""Revoking an award over HTTP (the President, by a new decision citing the award) and
recording the recovery of its certificate and prize money (the secretary)."""

from __future__ import annotations

from uuid import uuid4

from fastapi import APIRouter

from domain.proposal.aggregate import Proposal
from services.api.access import visible_proposal
from services.api.params import CouncilSecretary, IdempotencyKey, President, RuntimeDep
from services.api.schemas.publication import RecoveryIn, RevocationAnswer, RevocationIn
from services.application import revocation_award
from services.application.revocation_award import Recovering, Revoking

router = APIRouter(prefix="/api/proposals/{proposal_id}", tags=["revocation"])


def _answer(proposal: Proposal) -> RevocationAnswer:
    assert proposal.revocation is not None  # the step just recorded (or had recorded) it
    return RevocationAnswer.of(
        str(proposal.id), proposal.state, proposal.revocation, proposal.recovery is not None
    )


@router.post(
    "/revocation",
    summary="Revoke an award by a new decision citing it (Law 06/2022 Art 93)",
    response_model=RevocationAnswer,
)
async def revoke(
    proposal_id: str,
    body: RevocationIn,
    runtime: RuntimeDep,
    user: President,
    idempotency_key: IdempotencyKey = None,
) -> RevocationAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    revoking = Revoking(body.ground, body.number, body.reason, body.decided_on, body.prize_money)
    key = f"revoke:{user.username}:{idempotency_key or uuid4()}"
    return _answer(await revocation_award.revoke(runtime, proposal, user, revoking, key))


@router.post(
    "/recovery",
    summary="Record the recovery of a revoked award's certificate and prize money",
    response_model=RevocationAnswer,
)
async def recover(
    proposal_id: str,
    body: RecoveryIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    idempotency_key: IdempotencyKey = None,
) -> RevocationAnswer:
    proposal = await visible_proposal(runtime, user, proposal_id)
    recovering = Recovering(
        body.certificate_returned, body.money_recovered, body.note, body.recovered_on
    )
    key = f"recovery:{user.username}:{idempotency_key or uuid4()}"
    return _answer(await revocation_award.record_recovery(runtime, proposal, user, recovering, key))
