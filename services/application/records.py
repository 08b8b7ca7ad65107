"""Generated records (minutes, ballot counts, letters): kept in the document store, referred to
by kind, sha256 and document id wherever a proposal or a year carries them."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass

from domain.proposal.forwarding import RecordRef as RecordRef  # one type for both sides
from services.runtime import Runtime

PDF = "application/pdf"


@dataclass(frozen=True)
class Rendered:
    """A record's content as generated, with its hash."""

    kind: str
    content: bytes
    media_type: str = PDF

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


async def store_record(runtime: Runtime, rendered: Rendered) -> RecordRef:
    """Keep a generated record in the document store; storing it again keeps one copy."""
    document_id = await asyncio.to_thread(
        runtime.documents.put, rendered.content, rendered.media_type
    )
    return RecordRef(rendered.kind, rendered.sha256, document_id)
