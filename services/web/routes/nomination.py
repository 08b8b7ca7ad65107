"""Starting a nomination: nominee, award form (with who may receive it), year and summary."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from domain.rulebook.defaults import KNOWN_FORMS
from services.i18n.labels import VIETNAM
from services.web.deps import FieldError, RuntimeDep, ViewerDep, need, posted, text
from services.web.nominations import Nomination, new_key, nominate
from services.web.rendering import page
from services.web.session import Viewer

router = APIRouter(include_in_schema=False)


def _form_page(
    request: Request,
    viewer: Viewer,
    values: dict[str, str],
    error: Message | None = None,
    status_code: int = 200,
) -> Response:
    return page(
        request,
        "nominate.html",
        viewer,
        viewer.language,
        status_code=status_code,
        forms=KNOWN_FORMS,
        values=values,
        error=error,
    )


@router.get("/proposals/new")
async def nomination_form(request: Request, viewer: ViewerDep) -> Response:
    need(viewer, "proposer")
    values = {
        "form": "vusta_certificate",  # a Flag comes from the conference (conference_only)
        "year": str(datetime.now(VIETNAM).year),
        "nominee_kind": "collective",
        "nominee_name": viewer.unit_name,
        "title": "",
        "summary": "",
        "key": new_key(),
    }
    return _form_page(request, viewer, values)


@router.post("/proposals/new")
async def start_nomination(request: Request, runtime: RuntimeDep, viewer: ViewerDep) -> Response:
    need(viewer, "proposer")
    form = await posted(request, viewer)
    fields = ("form", "year", "nominee_kind", "nominee_name", "title", "summary", "key")
    values = {name: str(form.get(name) or "") for name in fields}
    try:
        year = int(text(form, "year", required=True, limit=4))
    except ValueError:
        return _form_page(request, viewer, values, Message("the year is not a number"), 422)
    try:
        nomination = Nomination(
            form=text(form, "form", required=True, limit=100),
            year=year,
            nominee_kind=text(form, "nominee_kind", required=True, limit=20),
            nominee_name=text(form, "nominee_name", required=True, limit=300),
            title=text(form, "title", required=True, limit=500),
            summary=text(form, "summary", limit=20_000),
            key=text(form, "key", required=True, limit=200),
        )
        if not 2000 <= year <= 2100:
            raise FieldError(Message("the year must be between 2000 and 2100"))
        drafted = await nominate(runtime, viewer.user, nomination)
    except (FieldError, DomainError) as refusal:
        return _form_page(request, viewer, values, refusal.message, 422)
    done = "created" if drafted.process_started else "pending"
    return RedirectResponse(f"/proposals/{drafted.proposal.id}?done={done}", status_code=303)
