"""The dossier's documents as use cases: attach one (content kept out of the events), read one."""

from __future__ import annotations

import asyncio
import hashlib
import os
from dataclasses import dataclass
from typing import Any, Literal, get_args

from domain.kernel.actor import Actor, Role
from domain.proposal.aggregate import Proposal
from services.application.directory import User
from services.runtime import Runtime

# The kinds of document a dossier holds (DOMAIN.md §4, Law 06/2022 Art 84).
DocumentKind = Literal[
    "request_letter",
    "achievement_report",
    "review_minutes",
    "ballot_count",
    "initiative_certificate",
    "consultation",
    "publication_record",  # proof of publication on the proposing body's media (Decree 152)
    "supplement",
    "other",
]
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)

MEDIA_TYPES = frozenset(
    {
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
)


class UnsupportedMediaType(Exception):
    def __init__(self, media_type: str) -> None:
        super().__init__(media_type)
        self.media_type = media_type


class TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class EmptyDocument(Exception):
    pass


class DocumentNotFound(LookupError):
    def __init__(self, sha256: str, content_missing: bool) -> None:
        super().__init__(sha256)
        self.sha256 = sha256
        self.content_missing = content_missing  # listed in the dossier, its content is not


@dataclass(frozen=True)
class Upload:
    filename: str
    media_type: str  # as the client declared it, parameters included
    content: bytes  # at most the limit plus one byte: more is refused without reading it all
    kind: str


@dataclass(frozen=True)
class Attached:
    proposal: Proposal
    document: dict[str, Any]


@dataclass(frozen=True)
class Content:
    data: bytes
    media_type: str


def media_type_of(declared: str) -> str:
    """The media type without parameters; one the dossier does not accept is refused."""
    media_type = declared.split(";")[0].strip().lower()
    if media_type not in MEDIA_TYPES:
        raise UnsupportedMediaType(media_type)
    return media_type


def read_limit(runtime: Runtime) -> int:
    """How much of an upload to read: one byte past the limit tells a document too large."""
    return runtime.settings.document_max_bytes + 1


async def attach(runtime: Runtime, proposal: Proposal, user: User, upload: Upload) -> Attached:
    """Store the content, then record the document; the same file of the same kind sent again
    to the same dossier version is answered as it was, not attached twice."""
    media_type = media_type_of(upload.media_type)
    limit = runtime.settings.document_max_bytes
    if len(upload.content) > limit:
        raise TooLarge(limit)
    if not upload.content:
        raise EmptyDocument()
    name = os.path.basename(upload.filename.replace("\\", "/")).strip() or "document"
    sha256 = hashlib.sha256(upload.content).hexdigest()
    already = [
        d for d in proposal.dossier.find(sha256, upload.kind) if d in proposal.dossier.current
    ]
    if already:
        return Attached(proposal, already[0].to_json())
    await asyncio.to_thread(runtime.documents.put, upload.content, media_type)
    document = {
        "name": name[:255],
        "media_type": media_type,
        "sha256": sha256,
        "size": len(upload.content),
        "kind": upload.kind,
    }
    key = f"document:{sha256}:{upload.kind}:{proposal.dossier_version}"
    actor = Actor(user.username, Role.PROPOSER)
    updated = await asyncio.to_thread(
        runtime.app.attach_document, proposal.id, document, actor, key
    )
    return Attached(updated, updated.dossier.documents[-1].to_json())


async def content(runtime: Runtime, proposal: Proposal, sha256: str) -> Content:
    """A document of the dossier (any version), with the media type it was attached with."""
    match = proposal.dossier.find(sha256)
    if not match:
        raise DocumentNotFound(sha256, content_missing=False)
    data = await asyncio.to_thread(runtime.documents.get, sha256)
    if data is None:
        raise DocumentNotFound(sha256, content_missing=True)
    return Content(data, match[-1].media_type)
