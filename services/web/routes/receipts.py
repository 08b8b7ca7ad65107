"""The voter's receipt check: is my sealed ballot in the box, and counted? Never how I voted."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from domain.kernel.message import Message
from services.application import voting
from services.web.deps import FieldError, RuntimeDep, ViewerDep, posted, text, visible_proposal
from services.web.rendering import page

router = APIRouter(prefix="/proposals/{proposal_id}", include_in_schema=False)


@router.get("/receipt")
async def receipt_form(
    request: Request, proposal_id: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    proposal = await visible_proposal(runtime, viewer, proposal_id)
    return page(
        request, "receipt_check.html", viewer, viewer.language, p=proposal, check=None, error=None
    )


@router.post("/receipt")
async def check_receipt(
    request: Request, proposal_id: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    proposal = await visible_proposal(runtime, viewer, proposal_id)
    form = await posted(request, viewer)
    check = None
    error: Message | None = None
    status = 200
    try:
        receipt = text(form, "receipt", required=True, limit=200)
        check = voting.check_receipt(runtime.secret, proposal, viewer.user, receipt)
    except FieldError as refusal:
        error, status = refusal.message, 422
    except voting.ReceiptNotYours:
        error, status = Message("only the voter this receipt was issued to may check it"), 403
    except voting.ReceiptNotFound:
        error, status = Message("no ballot in this proposal's boxes has that receipt"), 404
    return page(
        request,
        "receipt_check.html",
        viewer,
        viewer.language,
        status_code=status,
        p=proposal,
        check=check,
        error=error,
    )
