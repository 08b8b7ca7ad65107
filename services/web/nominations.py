"""Use cases the pages need that live only inside API routes today: starting a nomination,
attaching a document, and the next free decision number. (They move to services/application
with the API's own, and these then call those.)"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from typing import Any, get_args
from uuid import UUID, uuid4, uuid5

import psycopg
from eventsourcing.application import AggregateNotFoundError
from starlette.concurrency import run_in_threadpool

from domain.kernel.actor import Actor
from domain.kernel.errors import InvalidInput
from domain.proposal.aggregate import Proposal
from domain.proposal.forms import find_form
from services.api.routes.documents import MEDIA_TYPES, DocumentKind
from services.application.directory import User
from services.application.process import ProcessUnavailable
from services.application.process_starter import ProcessStarts
from services.application.proposals import _NUMBERS, proposal_id_for
from services.runtime import Runtime

ISSUER = "LHHVN"
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)


@dataclass(frozen=True)
class Nomination:
    form: str
    year: int
    nominee_kind: str
    nominee_name: str
    title: str
    summary: str
    key: str  # the form's idempotency key: posting the same form twice makes one draft


@dataclass(frozen=True)
class Drafted:
    proposal: Proposal
    process_started: bool  # False: Temporal was away; the worker starts it later


async def nominate(runtime: Runtime, user: User, nomination: Nomination) -> Drafted:
    form = find_form(nomination.form)
    unit = await run_in_threadpool(runtime.directory.unit, user.unit_id or "")
    if unit is None or unit.cluster_id is None:
        raise InvalidInput("{username} does not belong to a cluster's unit", username=user.username)
    actor = Actor(user.username, "proposer")
    nominee: dict[str, Any] = {"kind": nomination.nominee_kind, "name": nomination.nominee_name}
    if nomination.nominee_kind == "collective":
        nominee["unit_id"] = unit.id if nomination.nominee_name == unit.name else None
    proposal, _ = await run_in_threadpool(
        lambda: runtime.app.nominate(
            proposal_id=proposal_id_for(actor, nomination.key),
            form=form,
            year=nomination.year,
            proposing_unit=unit.id,
            cluster=unit.cluster_id or "",
            nominee={k: v for k, v in nominee.items() if v},
            title=nomination.title,
            summary=nomination.summary,
            actor=actor,
            key=f"create:{nomination.key}",
        )
    )
    try:
        await runtime.process.start(str(proposal.id), proposal.form, proposal.cluster_vote_required)
    except ProcessUnavailable:
        return Drafted(proposal, process_started=False)
    with contextlib.suppress(psycopg.Error):  # spares the process starter a call, no more
        await run_in_threadpool(ProcessStarts(runtime.pool).record, proposal.id)
    return Drafted(proposal, process_started=True)


@dataclass(frozen=True)
class Upload:
    kind: str
    filename: str
    media_type: str
    content: bytes


async def attach(runtime: Runtime, proposal: Proposal, user: User, upload: Upload) -> Proposal:
    """Type and size checked, content stored once by its hash, then the event recorded."""
    if upload.kind not in DOCUMENT_KINDS:
        raise InvalidInput("unknown kind of document {kind}", kind=upload.kind)
    if upload.media_type not in MEDIA_TYPES:
        raise InvalidInput(
            "{media_type} is not accepted; send PDF, Word, ODT, Excel, JPEG, PNG or plain text",
            media_type=upload.media_type or "?",
        )
    limit = runtime.settings.document_max_bytes
    if len(upload.content) > limit:
        raise InvalidInput("a document may hold at most {limit} bytes", limit=limit)
    if not upload.content:
        raise InvalidInput("the document is empty")
    name = os.path.basename(upload.filename.replace("\\", "/")).strip() or "document"
    sha256 = hashlib.sha256(upload.content).hexdigest()
    if any(
        d["sha256"] == sha256 and d["kind"] == upload.kind for d in proposal.current_documents()
    ):
        return proposal
    await run_in_threadpool(runtime.documents.put, upload.content, upload.media_type)
    document = {
        "name": name[:255],
        "media_type": upload.media_type,
        "sha256": sha256,
        "size": len(upload.content),
        "kind": upload.kind,
    }
    key = f"document:{sha256}:{upload.kind}:{proposal.dossier_version}"
    actor = Actor(user.username, "proposer")
    return await run_in_threadpool(runtime.app.attach_document, proposal.id, document, actor, key)


def _reservation_id(number: int, year: int) -> UUID:
    # The id scheme of DecisionNumberReservation (services/application/proposals.py).
    return uuid5(_NUMBERS, f"{ISSUER}/QĐ/{year}/{number}")


def next_free_number(runtime: Runtime, year: int) -> str:
    """The first number after the used ones of the year, e.g. ``18/QĐ-LHHVN``: numbers are
    taken in order, so a galloping then binary search finds it in ~2·log₂(n) look-ups."""

    def used(number: int) -> bool:
        try:
            runtime.app.repository.get(_reservation_id(number, year))
        except AggregateNotFoundError:
            return False
        return True

    if not used(1):
        return _written(1)
    low, high = 1, 2  # low is used; find a free high
    while used(high):
        low, high = high, high * 2
    while high - low > 1:  # low used, high free
        middle = (low + high) // 2
        low, high = (middle, high) if used(middle) else (low, middle)
    return _written(high)


def _written(number: int) -> str:
    return f"{number:02d}/QĐ-{ISSUER}"


def new_key() -> str:
    """A fresh idempotency key for a form: the page carries it, a repeat post reuses it."""
    return uuid4().hex
