"""A state-level proposal after the council: forward it with its generated letter (tờ trình),
then record the state body's outcome with its document. VUSTA never decides these forms."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.kernel.calendar import VIETNAM
from domain.proposal.aggregate import Proposal
from services.application.directory import User
from services.application.dossier import EmptyDocument, TooLarge, Upload, media_type_of
from services.application.process import EXTERNAL_OUTCOME, FORWARD
from services.application.steps import StepTaken, take_step
from services.audit import forwarding_letter, record_pdf
from services.runtime import Runtime
from workflows.messages import ExternalOutcomeRequest, ForwardRequest

SECRETARY = "council_secretary"


@dataclass(frozen=True)
class Forwarding:
    letter_number: str  # e.g. 05/TTr-LHHVN
    recipient: str = "Ban Thi đua - Khen thưởng Trung ương"
    sent_on: date | None = None  # today in Vietnam when not given


@dataclass(frozen=True)
class ExternalOutcome:
    outcome: str  # "awarded" or "rejected"
    number: str  # e.g. 123/QĐ-TTg
    decided_on: date
    issuer: str  # e.g. Thủ tướng Chính phủ
    reason: str = ""


def _document(name: str, media_type: str, content: bytes, kind: str) -> dict[str, Any]:
    """A stored file as the dossier lists it."""
    return {
        "name": name,
        "media_type": media_type,
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "kind": kind,
    }


async def forward(
    runtime: Runtime, proposal: Proposal, user: User, forwarding: Forwarding, key: str | None
) -> StepTaken:
    """Generate the forwarding letter, store it, and forward the proposal with it."""
    sent_on = forwarding.sent_on or datetime.now(VIETNAM).date()

    async def prepare() -> ForwardRequest:
        letter = forwarding_letter.Letter(
            forwarding.letter_number.strip(), sent_on, forwarding.recipient.strip(), user.full_name
        )
        font = record_pdf.find_font(runtime.settings.pdf_font)
        content = await asyncio.to_thread(forwarding_letter.render, proposal, letter, font)
        await asyncio.to_thread(runtime.documents.put, content, "application/pdf")
        name = f"to-trinh-{letter.number.replace('/', '-')}.pdf"
        return ForwardRequest(
            user.username,
            SECRETARY,
            letter.number,
            sent_on.isoformat(),
            letter.recipient,
            _document(name, "application/pdf", content, "forwarding_letter"),
        )

    pid = str(proposal.id)
    return await take_step(runtime.process, pid, FORWARD, user.username, key, prepare)


async def record_external_outcome(
    runtime: Runtime,
    proposal: Proposal,
    user: User,
    outcome: ExternalOutcome,
    upload: Upload,
    key: str | None,
) -> StepTaken:
    """Store the state body's decision document and record its outcome on the proposal."""
    media_type = media_type_of(upload.media_type)
    if len(upload.content) > runtime.settings.document_max_bytes:
        raise TooLarge(runtime.settings.document_max_bytes)
    if not upload.content:
        raise EmptyDocument()

    async def prepare() -> ExternalOutcomeRequest:
        await asyncio.to_thread(runtime.documents.put, upload.content, media_type)
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "decision"
        return ExternalOutcomeRequest(
            user.username,
            SECRETARY,
            outcome.outcome,
            outcome.number.strip(),
            outcome.decided_on.isoformat(),
            outcome.issuer.strip(),
            _document(name[:255], media_type, upload.content, upload.kind),
            outcome.reason,
        )

    pid = str(proposal.id)
    return await take_step(runtime.process, pid, EXTERNAL_OUTCOME, user.username, key, prepare)
