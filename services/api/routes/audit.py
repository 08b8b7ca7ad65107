"""/api/audit: read-only replay, state as of a moment, integrity checks and seals (auditors)."""

from __future__ import annotations

import json
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Response
from starlette.concurrency import run_in_threadpool

from infra import seals
from infra.seals import SealRefused
from services.api.access import parse_id
from services.api.deps import get_runtime, require
from services.api.problems import Problem
from services.api.query import Moment
from services.application.directory import User
from services.application.proposals import ProposalNotFound
from services.application.views import proposal_view
from services.audit import integrity, record_pdf
from services.audit import record as audit
from services.audit.event_descriptions import DirectoryPeople
from services.i18n.labels import language
from services.runtime import EVENTS_TABLE, Runtime

router = APIRouter(prefix="/api/audit", tags=["audit"])
auditor = require("auditor", "admin")


@router.get("/proposals/{proposal_id}", summary="A proposal's full record, event by event")
async def proposal_record(
    proposal_id: str, user: User = Depends(auditor), runtime: Runtime = Depends(get_runtime)
) -> dict[str, Any]:
    pid = parse_id(proposal_id)
    people = DirectoryPeople(runtime.directory)
    try:
        return await run_in_threadpool(
            audit.record, runtime.app, runtime.pool, EVENTS_TABLE, pid, people
        )
    except ProposalNotFound as error:
        raise Problem(404, "not-found", str(error)) from None


@router.get(
    "/proposals/{proposal_id}/export",
    summary="Download the record as JSON or PDF",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "application/pdf": {}}}},
)
async def export_record(
    proposal_id: str,
    format: Literal["json", "pdf"] = "json",
    lang: Literal["vi", "en"] | None = Query(default=None, description="vi (default) or en"),
    accept_language: str | None = Header(default=None, max_length=200),
    user: User = Depends(auditor),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    record = await proposal_record(proposal_id, user, runtime)
    reader = language(lang, accept_language)
    name = f"proposal-{record['proposal_id']}"
    if format == "json":
        body = json.dumps(
            {**record, "language": reader}, default=str, ensure_ascii=False, indent=2
        ).encode()
        return Response(
            body,
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )
    try:
        font = record_pdf.find_font(runtime.settings.pdf_font)
    except record_pdf.FontMissing as error:
        raise Problem(503, "font-missing", str(error)) from None
    pdf = await run_in_threadpool(record_pdf.render, record, font, reader)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


@router.get("/proposals/{proposal_id}/as-of", summary="A proposal's state at a past moment")
async def proposal_as_of(
    proposal_id: str,
    time: Moment,
    user: User = Depends(auditor),
    runtime: Runtime = Depends(get_runtime),
) -> dict[str, Any]:
    try:
        past = await run_in_threadpool(runtime.app.proposal, parse_id(proposal_id), time)
    except ProposalNotFound as error:
        raise Problem(404, "not-found", str(error)) from None
    return {**proposal_view(past), "as_of": time}


@router.get("/verify", summary="Check the event store (or one proposal) against its chain")
async def verify(
    proposal: UUID | None = None,
    user: User = Depends(auditor),
    runtime: Runtime = Depends(get_runtime),
) -> dict[str, Any]:
    originator = proposal
    try:
        checked = await run_in_threadpool(
            integrity.check, runtime.pool, runtime.settings, originator
        )
    except SealRefused as error:
        raise Problem(409, "seal-refused", f"a seal does not verify: {error}") from None
    return checked.as_json()


@router.post("/seals", status_code=201, summary="Seal the log now; answers a signed seal file")
async def create_seal(
    user: User = Depends(auditor), runtime: Runtime = Depends(get_runtime)
) -> dict[str, Any]:
    settings = runtime.settings
    sealed = await run_in_threadpool(
        seals.take, runtime.pool, settings.resolved_signing_key(), settings.resolved_seal_dir()
    )
    if sealed is None:
        raise Problem(409, "empty-log", "there is nothing to seal yet")
    return sealed.document
