"""The auditor's pages: a proposal's record and recount, its state as of a moment, verify of
the whole store, the record to download (JSON or PDF) and a signed seal of the log."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.message import Message
from services.application.proposals import ProposalNotFound
from services.application.views import proposal_view
from services.audit import integrity, record_pdf
from services.audit import record as audit
from services.audit.event_descriptions import DirectoryPeople
from services.audit.trail import AuditTrail, SealRefused
from services.i18n.labels import VIETNAM
from services.runtime import EVENTS_TABLE, Runtime
from services.web.deps import PageError, RuntimeDep, ViewerDep, need, posted, visible_proposal
from services.web.rendering import page

router = APIRouter(include_in_schema=False)
AUDITORS = ("auditor", "admin")


def _record(runtime: Runtime, proposal_id: UUID) -> dict[str, Any]:
    people = DirectoryPeople(runtime.directory)
    return audit.record(runtime.app, runtime.pool, EVENTS_TABLE, proposal_id, people)


def _moment(value: str | None) -> datetime | None:
    """A datetime-local field, read as Vietnam time (an official's clock)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PageError(
            422, Message("the moment {value} is not a date and time", value=value)
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


@router.get("/proposals/{proposal_id}/audit")
async def record_page(
    request: Request,
    proposal_id: str,
    runtime: RuntimeDep,
    viewer: ViewerDep,
    as_of: str | None = None,
) -> Response:
    need(viewer, *AUDITORS)
    proposal = await visible_proposal(runtime, viewer, proposal_id)
    record = await run_in_threadpool(_record, runtime, proposal.id)
    moment = _moment(as_of)
    past: dict[str, Any] | None = None
    past_error: Message | None = None
    if moment is not None:
        try:
            past = proposal_view(await run_in_threadpool(runtime.app.proposal, proposal.id, moment))
        except ProposalNotFound:
            past_error = Message("the proposal did not exist yet at that moment")
    return page(
        request,
        "audit.html",
        viewer,
        viewer.language,
        record=record,
        findings=audit.findings(record, viewer.reads),
        as_of=as_of or "",
        past=past,
        past_error=past_error,
    )


@router.get("/proposals/{proposal_id}/record.{format}")
async def download(
    proposal_id: str, format: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    need(viewer, *AUDITORS)
    if format not in ("json", "pdf"):
        raise PageError(404, Message("a record is downloaded as json or pdf"))
    proposal = await visible_proposal(runtime, viewer, proposal_id)
    record = await run_in_threadpool(_record, runtime, proposal.id)
    name = f"proposal-{proposal.id}.{format}"
    reader = viewer.reads
    if format == "json":
        body = json.dumps({**record, "language": reader}, default=str, ensure_ascii=False, indent=2)
        content, media_type = body.encode(), "application/json"
    else:
        try:
            font = record_pdf.find_font(runtime.settings.pdf_font)
        except record_pdf.FontMissing:
            raise PageError(503, Message("the font for PDF exports is missing")) from None
        content = await run_in_threadpool(record_pdf.render, record, font, reader)
        media_type = "application/pdf"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=media_type, headers=disposition)


@router.get("/audit/verify")
async def verify(
    request: Request, runtime: RuntimeDep, viewer: ViewerDep, run: int = 0
) -> Response:
    need(viewer, *AUDITORS)
    lines: list[str] = []
    ok: bool | None = None
    if run:
        try:
            checked = await run_in_threadpool(integrity.check, runtime.pool, runtime.settings, None)
        except SealRefused:
            ok, lines = False, [Message("a seal does not verify").render()]
        else:
            ok = checked.ok
            lines = [words.read(viewer.reads) for words in checked.lines()]
    return page(request, "verify.html", viewer, viewer.language, ok=ok, lines=lines, ran=bool(run))


@router.post("/audit/seal")
async def seal(request: Request, runtime: RuntimeDep, viewer: ViewerDep) -> Response:
    """Seals the log as it is now and hands over the signed seal file (sealing again with no
    new event answers the same seal)."""
    need(viewer, *AUDITORS)
    await posted(request, viewer)
    taken = await run_in_threadpool(AuditTrail.of(runtime).seal)
    if taken is None:
        raise PageError(404, Message("the log is empty: there is nothing to seal"))
    body = json.dumps(taken.document, indent=2, ensure_ascii=False) + "\n"
    name = f"seal-{taken.up_to:015d}.json"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body.encode(), media_type="application/json", headers=disposition)
