"""/api/proposals/{id}/documents: the dossier's files (content kept out of the events)."""

from __future__ import annotations

import hashlib
import os
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from domain.kernel.actor import Actor
from services.api.access import ensure_proposer, visible_proposal
from services.api.deps import current_user, get_runtime, require
from services.api.problems import Problem
from services.api.text import Clean, refuse_in
from services.application.directory import User
from services.application.views import proposal_view
from services.runtime import Runtime

router = APIRouter(prefix="/api/proposals/{proposal_id}/documents", tags=["documents"])

DocumentKind = Literal[
    "request_letter",
    "achievement_report",
    "review_minutes",
    "ballot_count",
    "initiative_certificate",
    "consultation",
    "supplement",
    "other",
]
MEDIA_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "text/plain",
    "application/msword",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.post("", status_code=201, summary="Attach a document to the dossier")
async def upload(
    proposal_id: str,
    file: Annotated[UploadFile, File()],
    kind: Annotated[DocumentKind, Clean, Form()],
    user: User = Depends(require("proposer")),
    runtime: Runtime = Depends(get_runtime),
) -> dict[str, Any]:
    proposal = await visible_proposal(runtime, user, proposal_id)
    ensure_proposer(user, proposal)
    refuse_in(("body", "file", "filename"), file.filename or "")
    media_type = (file.content_type or "").split(";")[0].strip().lower()
    if media_type not in MEDIA_TYPES:
        raise Problem(
            415,
            "unsupported-media-type",
            f"{media_type or 'unknown'} is not accepted; send PDF, Word, ODT, Excel,"
            " JPEG, PNG or plain text",
        )
    limit = runtime.settings.document_max_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise Problem(413, "too-large", f"a document may hold at most {limit} bytes")
    if not content:
        raise Problem(422, "invalid-input", "the document is empty")
    name = os.path.basename((file.filename or "").replace("\\", "/")).strip() or "document"
    sha256 = hashlib.sha256(content).hexdigest()
    already = [d for d in proposal.dossier.find(sha256, kind) if d in proposal.dossier.current]
    if already:
        return {**proposal_view(proposal), "document": already[0].to_json()}
    await run_in_threadpool(runtime.documents.put, content, media_type)
    document = {
        "name": name[:255],
        "media_type": media_type,
        "sha256": sha256,
        "size": len(content),
        "kind": kind,
    }
    key = f"document:{sha256}:{kind}:{proposal.dossier_version}"
    updated = await run_in_threadpool(
        runtime.app.attach_document, proposal.id, document, Actor(user.username, "proposer"), key
    )
    return {**proposal_view(updated), "document": updated.dossier.documents[-1].to_json()}


@router.get(
    "/{sha256}",
    summary="Download a document of the dossier",
    response_class=Response,
    responses={200: {"content": {media_type: {} for media_type in sorted(MEDIA_TYPES)}}},
)
async def download(
    proposal_id: str,
    sha256: str,
    user: User = Depends(current_user),
    runtime: Runtime = Depends(get_runtime),
) -> Response:
    proposal = await visible_proposal(runtime, user, proposal_id)
    match = proposal.dossier.find(sha256)
    if not match:
        raise Problem(404, "not-found", f"no document {sha256} in this dossier")
    content = await run_in_threadpool(runtime.documents.get, sha256)
    if content is None:
        raise Problem(404, "not-found", f"the content of document {sha256} is missing")
    return Response(
        content,
        media_type=match[-1].media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{sha256}"},
    )
