"""Decisions that award many, as use cases: issue one (checked, its record generated and
stored, its number held), then tell each proposal on it, or left off it, through its workflow."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.decision.aggregate import Decision, number_holder_id
from domain.decision.delegation import Act, DelegationRefused
from domain.decision.signing import DELEGATED, Signature, SigningForm, signing_form
from domain.decision.text import Candidate, compose
from domain.kernel.actor import Actor, Role
from domain.kernel.errors import DomainError, InvalidInput
from domain.kernel.message import Message
from domain.proposal.aggregate import Proposal
from domain.proposal.decision import DecisionNumber, parse_decision_number
from domain.proposal.forms import catalogue_by_code
from domain.proposal.states import VoteStage
from services.application.decision_index import DecisionRow
from services.application.delegations import check_delegated
from services.application.directory import User
from services.application.process import DECIDED_BY_DECISION, ProcessClosed, StepRefused
from services.application.steps import take_step
from services.audit import decision_record, record_pdf
from services.runtime import Runtime
from workflows.messages import DecidedByDecisionRequest

HOLDER_TITLE = "CHỦ TỊCH"
# The deputy's own title under the signing form's line, unless the request names another.
SIGNER_TITLES = {
    SigningForm.KT: "PHÓ CHỦ TỊCH",
    SigningForm.TL: "CHÁNH VĂN PHÒNG",
    SigningForm.TUQ: "CHÁNH VĂN PHÒNG",
    SigningForm.Q: "",
}


@dataclass(frozen=True)
class NewDecision:
    number: str  # e.g. 05/QĐ-LHHVN
    decided_on: date
    proposal_ids: tuple[str, ...]
    signing_form: str = "own"
    signer_title: str = ""
    excluded: tuple[tuple[str, str], ...] = ()  # (proposal id, reason): rejected, left off
    bases: tuple[str, ...] = ()  # the Căn cứ lines; the regulation's and the councils' if none
    proposed_by: str = ""
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class Delivery:
    """What one proposal answered when told of the decision."""

    proposal_id: str
    outcome: str
    state: str
    refusal: Message | None = None


@dataclass(frozen=True)
class Issued:
    decision: Decision
    deliveries: tuple[Delivery, ...]
    replayed: bool


def _candidate(proposal: Proposal) -> Candidate:
    form = catalogue_by_code().get(proposal.form)
    council = proposal.votes.get(VoteStage.COUNCIL.value)
    return Candidate(
        proposal_id=str(proposal.id),
        state=proposal.state,
        forwarded=proposal.forwarded,
        year=proposal.year,
        form=proposal.form,
        form_name=form.name_vi if form else proposal.form,
        nominee_name=proposal.nominee.name,
        nominee_kind=proposal.nominee.kind.value,
        achievement=proposal.title,
        council_closed_on=council.result.closed_on if council and council.result else None,
    )


def _proposal(runtime: Runtime, text: str) -> Proposal:
    try:
        proposal_id = UUID(text)
    except ValueError:
        raise InvalidInput("{id!r} is not a proposal id", id=text) from None
    return runtime.app.proposal(proposal_id)


def signature_of(runtime: Runtime, user: User, new: NewDecision) -> Signature:
    """The President signs in person (or TM. for the Presidium); anyone else signs in a form
    a delegation in force on the decision's day grants them for signing decisions."""
    form = signing_form(new.signing_form)
    name = user.full_name or user.username
    if form not in DELEGATED:
        if not user.has("president"):
            raise DelegationRefused(
                "{username} signs decisions only under a delegation (KT., TUQ., ...)",
                username=user.username,
            )
        return Signature(form, user.username, name, HOLDER_TITLE, user.username, HOLDER_TITLE)
    delegation = check_delegated(runtime, user.username, Act.SIGN_DECISION, new.decided_on)
    if delegation.form != form:
        raise DelegationRefused(
            "delegation {id} from {holder} grants signing {granted}, not {form}",
            id=delegation.id,
            holder=delegation.holder,
            granted=delegation.form.value,
            form=form.value,
        )
    title = new.signer_title.strip() or SIGNER_TITLES[form]
    return Signature(
        form, user.username, name, title, delegation.holder, HOLDER_TITLE, delegation.id
    )


def _load(runtime: Runtime, decision_id: UUID) -> Any:
    try:
        return runtime.app.repository.get(decision_id)
    except AggregateNotFoundError:
        return None


def _used(number: DecisionNumber, held: Any) -> DomainError:
    if isinstance(held, Decision):
        return DomainError(
            "decision number {number} is already used by decision {id}",
            number=str(number),
            id=str(held.id),
        )
    return DomainError(
        "decision number {number} is already used by proposal {id}",
        number=str(number),
        id=str(getattr(held, "proposal_id", "")),
    )


def _prepare(runtime: Runtime, user: User, new: NewDecision, key: str) -> tuple[Decision, bool]:
    """The decision as stored: issued now, or the one this key issued before."""
    number = parse_decision_number(new.number)
    decision_id = number_holder_id(number, new.decided_on.year)
    held = _load(runtime, decision_id)
    if isinstance(held, Decision) and held.key == key and held.issued_by == user.username:
        asked = (set(new.proposal_ids), {pid for pid, _ in new.excluded})
        if asked != ({a.proposal_id for a in held.annex}, {e.proposal_id for e in held.excluded}):
            raise DomainError("this Idempotency-Key already issued a different decision")
        return held, True
    if held is not None:
        raise _used(number, held)
    signature = signature_of(runtime, user, new)
    on = [_candidate(_proposal(runtime, pid)) for pid in new.proposal_ids]
    off = [(_candidate(_proposal(runtime, pid)), reason) for pid, reason in new.excluded]
    text = compose(
        number, new.decided_on, on, off, signature, new.bases, new.proposed_by, new.recipients
    )
    content = decision_record.render(text, record_pdf.find_font(runtime.settings.pdf_font))
    runtime.documents.put(content, "application/pdf")
    record = {
        # A header-safe file name: the number's Đ (in QĐ, in an issuer) as D.
        "name": f"quyet-dinh-{str(number).replace('/', '-').replace('Đ', 'D')}.pdf",
        "media_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
    }
    decision = Decision.issue(text, record, Actor(user.username, Role.PRESIDENT), key)
    try:
        runtime.app.save(decision)
    except IntegrityError:
        raise _used(number, _load(runtime, decision_id)) from None
    return decision, False


async def _deliver(
    runtime: Runtime, user: User, decision: Decision, proposal_id: str, outcome: str, reason: str
) -> Delivery:
    request = DecidedByDecisionRequest(
        user.username,
        Role.PRESIDENT.value,
        str(decision.id),
        outcome,
        decision.number,
        decision.decided_on.isoformat(),
        decision.signature.form.value,
        decision.signature.signer,
        decision.signature.holder,
        reason,
    )

    async def prepared() -> DecidedByDecisionRequest:
        return request

    key = f"{decision.key}:{proposal_id}"
    try:
        taken = await take_step(
            runtime.process, proposal_id, DECIDED_BY_DECISION, user.username, key, prepared
        )
    except StepRefused as refused:
        return Delivery(proposal_id, outcome, refused.state or "", refused.message)
    except ProcessClosed:
        closed = Message("the process of this proposal has ended")
        return Delivery(proposal_id, outcome, "", closed)
    return Delivery(proposal_id, outcome, taken.state)


async def issue(runtime: Runtime, user: User, new: NewDecision, key: str | None) -> Issued:
    """Issue the decision and tell every proposal on it (awarded) and left off it (rejected).
    Repeating the request with the same key tells again the proposals not yet told."""
    decision, replayed = await asyncio.to_thread(_prepare, runtime, user, new, key or str(uuid4()))
    await asyncio.to_thread(runtime.decisions.record, DecisionRow.of(decision))
    deliveries = await asyncio.gather(
        *(
            _deliver(runtime, user, decision, pid, outcome, reason)
            for pid, outcome, reason in decision.outcomes()
        )
    )
    return Issued(decision, tuple(deliveries), replayed)


class DecisionNotFound(DomainError):
    code = "not-found"


def decision(runtime: Runtime, decision_id: str) -> Decision:
    """A decision for many by its id; a single-proposal number's reservation is not one."""
    try:
        held = _load(runtime, UUID(decision_id))
    except ValueError:
        held = None
    if not isinstance(held, Decision):
        raise DecisionNotFound("no decision {id}", id=decision_id)
    return held


def record(runtime: Runtime, issued: Decision) -> bytes:
    """The decision's generated PDF, as stored under its sha256."""
    content = runtime.documents.get(str(issued.record["sha256"]))
    if content is None:
        raise DecisionNotFound(
            "the record of decision {number} is not in the document store", number=issued.number
        )
    return content
