"""Secret ballots as use cases: casting one, checking a receipt, the count and trustees' shares."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from domain.proposal.aggregate import Proposal
from domain.proposal.lifecycle import check_ballot_box
from domain.proposal.states import VoteStage
from domain.voting.sealed_ballot import seal, totals
from infra.trustee_keys import secret_exponent
from services.application.directory import User
from services.application.process import CLUSTER_VOTE, COUNCIL_VOTE, TALLY_SHARE
from services.application.receipts import issue_receipt, issued_to, receipt_hash
from services.application.steps import StepTaken, take_step, with_receipt
from services.runtime import Runtime
from workflows.messages import BallotRequest, ShareRequest

_UPDATE = {VoteStage.CLUSTER: CLUSTER_VOTE, VoteStage.COUNCIL: COUNCIL_VOTE}
_ROLE = {VoteStage.CLUSTER: "cluster_member", VoteStage.COUNCIL: "council_member"}


class ReceiptNotYours(Exception):
    """The receipt was issued to another voter; nothing about its ballot is told."""


class ReceiptNotFound(LookupError):
    """No ballot in the proposal's sealed boxes carries this receipt."""


class VoteNotFound(LookupError):
    """The proposal has had no vote at that stage."""


@dataclass(frozen=True)
class Ballot:
    """A voter's ballot: a plain choice the service seals at once, or a ballot their own
    client sealed under the vote's election key."""

    stage: VoteStage
    choice: str | None = None
    sealed: dict[str, Any] | None = None


async def cast_ballot(
    runtime: Runtime, proposal: Proposal, user: User, ballot: Ballot, key: str | None
) -> StepTaken:
    """Seal the ballot, issue the voter's receipt and send the ballot to the workflow."""
    stage = ballot.stage
    # A cluster ballot is the member unit's; a council ballot the member's own.
    voter = (user.unit_id or "") if stage == VoteStage.CLUSTER else user.username
    receipt = issue_receipt(runtime.secret, user.username, proposal.id, key)

    async def prepare() -> BallotRequest:
        sealed = await asyncio.to_thread(_sealed, proposal, ballot)
        return BallotRequest(user.username, _ROLE[stage], voter, sealed, receipt_hash(receipt))

    taken = await take_step(
        runtime.process, str(proposal.id), _UPDATE[stage], user.username, key, prepare
    )
    # The receipt is shown once, to the voter, and stored nowhere.
    return with_receipt(taken, receipt)


def _sealed(proposal: Proposal, ballot: Ballot) -> dict[str, Any]:
    """The ballot as the workflow receives it: sealed under the trustees' key. A plain choice
    lives only in this request's memory; it is never logged, stored or sent on."""
    if ballot.sealed is not None:
        return ballot.sealed  # sealed by the voter's own client; the workflow checks its proofs
    assert ballot.choice is not None
    stage = ballot.stage
    # The domain's rule for an open box, as the workflow's validator asks it too.
    check_ballot_box(proposal.state, proposal.vote_facts(stage))
    vote = proposal.votes[stage.value]
    return seal(
        ballot.choice, vote.key(), proposal.ballot_context(stage), secret_exponent
    ).to_json()


@dataclass(frozen=True)
class ReceiptCheck:
    counted: bool
    in_box: bool
    detail: str
    stage: str | None = None
    tracker: str | None = None  # the sealed ballot's tracker, as shown when it was cast


def check_receipt(secret: bytes, proposal: Proposal, user: User, receipt: str) -> ReceiptCheck:
    """Whether the voter's sealed ballot is in the box and counted. Only the voter the receipt
    was issued to may ask: anyone else is refused before the boxes are looked at."""
    if not issued_to(secret, receipt, user.username, proposal.id):
        raise ReceiptNotYours("this receipt was issued to another voter")
    digest = receipt_hash(receipt)
    for stage, vote in proposal.votes.items():
        receipts = vote.receipts()
        if digest in receipts:
            counted = vote.is_counted
            assert vote.box is not None
            return ReceiptCheck(
                counted=counted,
                in_box=True,
                stage=stage,
                # The choice itself is never opened, not even for its voter: only the totals.
                tracker=vote.box[receipts.index(digest)].tracker,
                detail="in the sealed box and counted in the recorded totals"
                if counted
                else "in the sealed box; the totals are not opened yet",
            )
    if any(vote.box is None for vote in proposal.votes.values()):
        return ReceiptCheck(
            counted=False, in_box=False, detail="the box is sealed when the vote closes"
        )
    raise ReceiptNotFound("no ballot in this proposal's boxes has that receipt")


@dataclass(frozen=True)
class VoteCount:
    """A vote's sealed totals as trustees and auditors check them before opening anything."""

    stage: str
    election_key: dict[str, Any]
    context: str
    sealed: bool
    voters: int
    ballots: int
    # The sealed ballots themselves, so a trustee recomputes the totals before opening them:
    # a trustee must never be led to open anything but the product of a whole box.
    box: list[dict[str, Any]]
    totals: list[list[str]] | None  # one ciphertext [alpha, beta] per option, in hex
    shares_from: list[int]
    shares_missing: int | None
    result: dict[str, Any] | None


def count_view(proposal: Proposal, stage: VoteStage) -> VoteCount:
    vote = proposal.votes.get(stage.value)
    if vote is None:
        raise VoteNotFound(f"this proposal has had no {stage} vote")
    key = vote.key()
    box = vote.sealed_box()
    return VoteCount(
        stage=stage.value,
        election_key={**key.to_json(), "fingerprint": key.fingerprint},
        context=proposal.ballot_context(stage),
        sealed=vote.is_sealed,
        voters=len(vote.voted),
        ballots=len(box),
        box=[entry.ballot for entry in vote.box or ()],
        totals=[ct.to_json() for ct in totals(box)] if vote.is_sealed else None,
        shares_from=sorted(vote.trustees),
        shares_missing=vote.shares_missing if vote.is_sealed else None,
        result=None if vote.result is None else vote.result.to_json(),
    )


class NotATrustee(Exception):
    """Proposers do not take part in counting votes."""


async def give_share(
    runtime: Runtime,
    proposal: Proposal,
    user: User,
    stage: VoteStage,
    share: dict[str, Any],
    key: str | None,
) -> StepTaken:
    """A trustee's decryption share of a sealed vote. The share proves itself against the
    trustee's public verification key; the caller is recorded as who delivered it."""
    roles = [role for role in user.roles if role != "proposer"]
    if not roles:
        raise NotATrustee("proposers do not take part in counting votes")
    request = ShareRequest(user.username, roles[0], stage.value, share)

    async def prepare() -> ShareRequest:
        return request

    return await take_step(
        runtime.process, str(proposal.id), TALLY_SHARE, user.username, key, prepare
    )
