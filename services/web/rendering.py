"""Templates rendered in the viewer's language, from the one message catalogue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from domain.kernel.message import Message
from domain.proposal.forms import catalogue_by_code
from domain.rulebook.defaults import KNOWN_FORMS
from services.i18n.catalogue import Language, render
from services.i18n.labels import (
    Words,
    document_kind_words,
    role_words,
    stage_words,
    state_words,
    vietnam_date,
    vietnam_time,
    vote_outcome_words,
)
from services.web.session import CSRF_FIELD, Viewer

ENVIRONMENT = Environment(
    loader=PackageLoader("services.web", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,  # a misspelt name fails the test that renders it
    trim_blocks=True,
    lstrip_blocks=True,
)


CONTEXT = "web"  # the pages' own words: msgctxt "web" keeps them apart from the API's


def translate(language: Language) -> Callable[..., str]:
    """``_("Hello {name}", name=…)`` in a template: the English text is the msgid."""

    def gettext(msgid: str, /, **params: object) -> str:
        message = Message(msgid, **params)
        message.context = CONTEXT
        return render(message, language)

    return gettext


def _words(language: Language) -> Callable[[Words], str]:
    return lambda words: words.read(language.value)


def _size(count: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"


def _sentence(text: str) -> str:
    """A refusal shown on its own starts with a capital, as a sentence does."""
    return text[:1].upper() + text[1:]


def helpers(language: Language) -> dict[str, Any]:
    """What every page may call: names of states, roles, forms and documents, Vietnam time."""
    read = _words(language)
    forms = catalogue_by_code(KNOWN_FORMS)

    def form_name(code: str) -> str:
        form = forms.get(code)
        if form is None:
            return code
        return form.name_vi if language == Language.VI else form.name_en

    def when(moment: datetime | str | None) -> str:
        return read(vietnam_time(moment)) if moment else "—"

    def day(value: date | str | None) -> str:
        return vietnam_date(value) if value else "—"

    return {
        "_": translate(language),
        "say": lambda message: _sentence(render(message, language)) if message else "",
        "lang": language.value,
        "state_name": lambda code: read(state_words(code)),
        "role_name": lambda code: read(role_words(code)),
        "stage_name": lambda code: read(stage_words(code)),
        "outcome_name": lambda code: read(vote_outcome_words(code)),
        "document_name": lambda code: read(document_kind_words(code)),
        # a code's word from a gettext context, e.g. term("year-stage", "scoring")
        "term": lambda context, code: render(Message.term(context, code), language),
        "form_name": form_name,
        "when": when,
        "day": day,
        "words": lambda both: both.get(language.value, "") if isinstance(both, dict) else both,
        "csrf_field": CSRF_FIELD,
        "size": _size,
    }


def page(
    request: Request,
    template: str,
    viewer: Viewer | None,
    language: Language,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    body = ENVIRONMENT.get_template(template).render(
        request=request, viewer=viewer, **helpers(language), **context
    )
    return HTMLResponse(body, status_code=status_code)
