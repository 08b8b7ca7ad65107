"""/api/audit: read-only replay, state as of a moment, integrity checks and seals (auditors)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.message import Message
from services.api.access import parse_id
from services.api.params import Auditor, RuntimeDep
from services.api.problems import Problem
from services.api.query import Moment
from services.api.schemas.audit import AuditRecord, SealDocument, Verification
from services.api.schemas.proposals import ProposalView
from services.application.views import proposal_view
from services.audit.record_pdf import FontMissing
from services.audit.trail import AuditTrail, SealRefused
from services.i18n.labels import language
from services.runtime import Runtime

router = APIRouter(prefix="/api/audit", tags=["audit"])


async def _record(runtime: Runtime, proposal_id: str) -> dict[str, Any]:
    # An unknown proposal is ProposalNotFound: a 404 answered app-wide.
    return await run_in_threadpool(AuditTrail.of(runtime).record, parse_id(proposal_id))


@router.get(
    "/proposals/{proposal_id}",
    summary="A proposal's full record, event by event",
    response_model=AuditRecord,
    response_model_exclude_unset=True,
)
async def proposal_record(proposal_id: str, user: Auditor, runtime: RuntimeDep) -> AuditRecord:
    return AuditRecord.model_validate(await _record(runtime, proposal_id))


@router.get(
    "/proposals/{proposal_id}/export",
    summary="Download the record as JSON or PDF",
    response_class=Response,
    responses={
        200: {
            "description": "The record as a file to keep (Content-Disposition: attachment)",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/AuditRecord"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def export_record(
    proposal_id: str,
    user: Auditor,
    runtime: RuntimeDep,
    format: Literal["json", "pdf"] = "json",
    lang: Annotated[Literal["vi", "en"] | None, Query(description="vi (default) or en")] = None,
    accept_language: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    record = await _record(runtime, proposal_id)
    reader = language(lang, accept_language)
    trail = AuditTrail.of(runtime)
    try:
        exported = await run_in_threadpool(trail.export, record, format, reader)
    except FontMissing:
        raise Problem(
            503,
            "font-missing",
            Message(
                "AWARDS_PDF_FONT is {path}, which is not a file; point it at a TTF with"
                " Vietnamese glyphs, or unset it to use the bundled DejaVu Sans",
                path=str(runtime.settings.pdf_font),
            ),
        ) from None
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )


@router.get(
    "/proposals/{proposal_id}/as-of",
    summary="A proposal's state at a past moment",
    response_model=ProposalView,
    response_model_exclude_unset=True,
)
async def proposal_as_of(
    proposal_id: str, time: Moment, user: Auditor, runtime: RuntimeDep
) -> ProposalView:
    trail = AuditTrail.of(runtime)
    past = await run_in_threadpool(trail.as_of, parse_id(proposal_id), time)
    return ProposalView.model_validate({**proposal_view(past), "as_of": time})


@router.get(
    "/verify",
    summary="Check the event store (or one proposal) against its chain",
    response_model=Verification,
    response_model_exclude_unset=True,
)
async def verify(user: Auditor, runtime: RuntimeDep, proposal: UUID | None = None) -> Verification:
    trail = AuditTrail.of(runtime)
    try:
        checked = await run_in_threadpool(trail.verify, proposal)
    except SealRefused as error:
        raise Problem(
            409, "seal-refused", Message("a seal does not verify: {error}", error=str(error))
        ) from None
    return Verification.model_validate(checked.as_json())


@router.post(
    "/seals",
    status_code=201,
    summary="Seal the log now; answers a signed seal file",
    response_model=SealDocument,
    response_model_exclude_unset=True,
)
async def create_seal(user: Auditor, runtime: RuntimeDep) -> SealDocument:
    sealed = await run_in_threadpool(AuditTrail.of(runtime).seal)
    if sealed is None:
        raise Problem(409, "empty-log", Message("there is nothing to seal yet"))
    return SealDocument.model_validate(sealed.document)
