"""/api/proposals/{id}/documents: the dossier's files (content kept out of the events)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response

from domain.kernel.message import Message
from services.api.access import ensure_proposer, visible_proposal
from services.api.params import CurrentUser, Proposer, RuntimeDep
from services.api.problems import Problem
from services.api.schemas.documents import DocumentAttached
from services.api.text import Clean, refuse_in
from services.application import dossier
from services.application.views import proposal_view

router = APIRouter(prefix="/api/proposals/{proposal_id}/documents", tags=["documents"])

_BINARY = {"schema": {"type": "string", "format": "binary"}}


@contextmanager
def upload_refusals() -> Iterator[None]:
    """A refused upload as its problem: wrong media type, too large, or empty."""
    try:
        yield
    except dossier.UnsupportedMediaType as refused:
        raise Problem(
            415,
            "unsupported-media-type",
            Message(
                "{media_type} is not accepted; send PDF, Word, ODT, Excel, JPEG, PNG or plain text",
                media_type=refused.media_type or "unknown",
            ),
        ) from None
    except dossier.TooLarge as refused:
        raise Problem(
            413,
            "too-large",
            Message("a document may hold at most {limit} bytes", limit=refused.limit),
        ) from None
    except dossier.EmptyDocument:
        raise Problem(422, "invalid-input", Message("the document is empty")) from None


@router.post(
    "",
    status_code=201,
    summary="Attach a document to the dossier",
    response_model=DocumentAttached,
    response_model_exclude_unset=True,
)
async def upload(
    proposal_id: str,
    file: Annotated[UploadFile, File()],
    kind: Annotated[dossier.DocumentKind, Clean, Form()],
    user: Proposer,
    runtime: RuntimeDep,
) -> DocumentAttached:
    proposal = await visible_proposal(runtime, user, proposal_id)
    ensure_proposer(user, proposal)
    refuse_in(("body", "file", "filename"), file.filename or "")
    declared = file.content_type or ""
    with upload_refusals():
        dossier.media_type_of(declared)  # before reading a document that will be refused
        content = await file.read(dossier.read_limit(runtime))
        sent = dossier.Upload(file.filename or "", declared, content, kind)
        attached = await dossier.attach(runtime, proposal, user, sent)
    view = proposal_view(attached.proposal)
    return DocumentAttached.model_validate({**view, "document": attached.document})


@router.get(
    "/{sha256}",
    summary="Download a document of the dossier",
    response_class=Response,
    responses={
        200: {
            "description": "The document, in the media type it was attached with",
            "content": {media_type: _BINARY for media_type in sorted(dossier.MEDIA_TYPES)},
        }
    },
)
async def download(
    proposal_id: str, sha256: str, user: CurrentUser, runtime: RuntimeDep
) -> Response:
    proposal = await visible_proposal(runtime, user, proposal_id)
    try:
        found = await dossier.content(runtime, proposal, sha256)
    except dossier.DocumentNotFound as missing:
        message = (
            Message("the content of document {sha256} is missing", sha256=sha256)
            if missing.content_missing
            else Message("no document {sha256} in this dossier", sha256=sha256)
        )
        raise Problem(404, "not-found", message) from None
    return Response(
        found.data,
        media_type=found.media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{sha256}"},
    )
