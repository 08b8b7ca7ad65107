"""Use cases the pages need that live only inside API routes today: starting a nomination,
attaching a document, and the next free decision number. (They move to services/application
with the API's own, and these then call those.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError
from starlette.concurrency import run_in_threadpool

from domain.decision.aggregate import NUMBERS as _NUMBERS
from domain.kernel.errors import InvalidInput
from domain.proposal.aggregate import Proposal
from services.application import dossier, drafts
from services.application.directory import User
from services.application.dossier import DOCUMENT_KINDS
from services.runtime import Runtime

ISSUER = "LHHVN"


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
    """The application's draft use case, with the nominee the form describes."""
    unit = await run_in_threadpool(runtime.directory.unit, user.unit_id or "")
    nominee: dict[str, Any] = {"kind": nomination.nominee_kind, "name": nomination.nominee_name}
    if unit is not None and nomination.nominee_kind == "collective":
        nominee["unit_id"] = unit.id if nomination.nominee_name == unit.name else None
    draft = drafts.Draft(
        form=nomination.form,
        year=nomination.year,
        nominee={k: v for k, v in nominee.items() if v},
        title=nomination.title,
        summary=nomination.summary,
    )
    try:
        saved = await drafts.create_draft(runtime, user, draft, nomination.key)
    except drafts.NotInAClusterUnit:
        raise InvalidInput(
            "{username} does not belong to a cluster's unit", username=user.username
        ) from None
    return Drafted(saved.proposal, process_started=not saved.process_pending)


@dataclass(frozen=True)
class Upload:
    kind: str
    filename: str
    media_type: str
    content: bytes


async def attach(runtime: Runtime, proposal: Proposal, user: User, upload: Upload) -> Proposal:
    """The application's attach use case; its refusals as messages a page shows."""
    if upload.kind not in DOCUMENT_KINDS:
        raise InvalidInput("unknown kind of document {kind}", kind=upload.kind)
    sent = dossier.Upload(upload.filename, upload.media_type, upload.content, upload.kind)
    try:
        attached = await dossier.attach(runtime, proposal, user, sent)
    except dossier.UnsupportedMediaType as refused:
        raise InvalidInput(
            "{media_type} is not accepted; send PDF, Word, ODT, Excel, JPEG, PNG or plain text",
            media_type=refused.media_type or "?",
        ) from None
    except dossier.TooLarge as refused:
        raise InvalidInput(
            "a document may hold at most {limit} bytes", limit=refused.limit
        ) from None
    except dossier.EmptyDocument:
        raise InvalidInput("the document is empty") from None
    return attached.proposal


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
