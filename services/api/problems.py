"""Errors as RFC 9457 problem details (application/problem+json), in the reader's language."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import PersistenceError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.eligibility.refusal import NotEligible
from domain.kernel.errors import BallotError, DomainError, IllegalTransition, InvalidInput
from domain.kernel.message import Message
from services.application.process import ProcessUnavailable
from services.application.proposals import ProposalNotFound
from services.application.register_workbook import WorkbookRejected
from services.i18n.catalogue import both, negotiate, render, translations

log = logging.getLogger("awards.api")

_STATUS_BY_CODE = {
    IllegalTransition.code: 409,
    BallotError.code: 409,
    InvalidInput.code: 422,
    DomainError.code: 409,
    "not-found": 404,
    "delegation-refused": 403,  # --- decide ---
}
_TITLES = {
    400: Message("Bad request"),
    401: Message("Not authenticated"),
    403: Message("Forbidden"),
    404: Message("Not found"),
    405: Message("Method not allowed"),
    409: Message("Conflict with the proposal's state"),
    413: Message("Payload too large"),
    415: Message("Unsupported media type"),
    422: Message("Invalid input"),
    500: Message("Internal error"),
    503: Message("Service unavailable"),
}
_ERROR = Message("Error")
# What a pydantic error type means, without the field; the English is ours, not pydantic's,
# so that both languages say the same. Placeholders are filled from the error's ``ctx``.
_VALIDATION = {
    "missing": Message("a value is required"),
    "extra_forbidden": Message("this field is not accepted"),
    "string_type": Message("a text is required"),
    "string_too_short": Message("at least {min_length} character(s) required"),
    "string_too_long": Message("at most {max_length} characters allowed"),
    "string_pattern_mismatch": Message("does not have the required form {pattern}"),
    "literal_error": Message("must be one of {expected}"),
    "enum": Message("must be one of {expected}"),
    "int_parsing": Message("a whole number is required"),
    "int_type": Message("a whole number is required"),
    "int_from_float": Message("a whole number is required"),
    "float_parsing": Message("a number is required"),
    "float_type": Message("a number is required"),
    "bool_parsing": Message("true or false is required"),
    "bool_type": Message("true or false is required"),
    "greater_than_equal": Message("must be at least {ge}"),
    "greater_than": Message("must be greater than {gt}"),
    "less_than_equal": Message("must be at most {le}"),
    "less_than": Message("must be less than {lt}"),
    "too_short": Message("at least {min_length} item(s) required"),
    "too_long": Message("at most {max_length} items allowed"),
    "date_parsing": Message("a date is required, e.g. 2026-01-05"),
    "date_type": Message("a date is required, e.g. 2026-01-05"),
    "date_from_datetime_parsing": Message("a date is required, e.g. 2026-01-05"),
    "date_from_datetime_inexact": Message("a date is required, e.g. 2026-01-05"),
    "datetime_parsing": Message("a date and time is required, e.g. 2026-11-20T09:00:00+07:00"),
    "datetime_type": Message("a date and time is required, e.g. 2026-11-20T09:00:00+07:00"),
    "datetime_from_date_parsing": Message(
        "a date and time is required, e.g. 2026-11-20T09:00:00+07:00"
    ),
    "timezone_aware": Message("a time zone is required, e.g. +07:00"),
    "json_invalid": Message("the body is not valid JSON"),
    "json_type": Message("the body is not valid JSON"),
    "dict_type": Message("a JSON object is required"),
    "model_type": Message("a JSON object is required"),
    "model_attributes_type": Message("a JSON object is required"),
    "list_type": Message("a list is required"),
    "uuid_parsing": Message("a UUID is required"),
    "uuid_type": Message("a UUID is required"),
}


class Problem(Exception):
    """An answer other than success. ``message`` is what the reader is told: a ``Message``
    (English template and its parameters, translated by Accept-Language) or a plain English
    sentence. Keyword arguments are extra body fields (``state=…``, ``id=…``), never message
    parameters: ``Problem(404, "not-found", Message("no proposal {id}", id=pid))``."""

    def __init__(self, status: int, code: str, message: str | Message, **extra: Any) -> None:
        self.status = status
        self.code = code
        self.message = Message.of(message)
        self.extra = extra
        super().__init__(self.message.render())

    @property
    def detail(self) -> str:
        """The English text."""
        return self.message.render()


def problem_for_code(code: str, message: str | Message, **extra: Any) -> Problem:
    return Problem(_STATUS_BY_CODE.get(code, 409), code, message, **extra)


def _response(
    request: Request, status: int, code: str, message: Message, **extra: Any
) -> JSONResponse:
    language = negotiate(request.headers.get("accept-language"))
    texts = both(message)
    body = {
        "type": f"urn:awards:problem:{code}",
        "title": render(_TITLES.get(status, _ERROR), language),
        "status": status,
        "detail": texts[language],
        "i18n": texts,
        "instance": request.url.path,
        **extra,
    }
    headers = {"Content-Language": language.value, "Vary": "Accept-Language"}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def validation_message(error: Mapping[str, Any]) -> Message:
    """One pydantic error as a translatable message, without its location."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    # Our validators' refusals (services/api/text.py RefusedValue) carry their message.
    carried = getattr(context.get("error"), "message", None)
    if isinstance(carried, Message):
        return carried
    if kind in ("value_error", "assertion_error") and "error" in context:
        text = str(context["error"])
        return Message.of(text.removeprefix("Value error, ").removeprefix("Assertion failed, "))
    known = _VALIDATION.get(kind)
    if known is None:
        return Message.of(str(error.get("msg", kind)))  # English in both: no translation yet
    params: dict[str, object] = {
        name: value for name, value in context.items() if isinstance(value, str | int | float)
    }
    if isinstance(params.get("expected"), str):
        params["expected"] = _alternatives(str(params["expected"]))
    return Message(known.template, **params)


def _alternatives(expected: str) -> Message:
    """pydantic writes "'yes', 'no' or 'abstain'": the last "or" is a word to translate."""
    head, separator, last = expected.rpartition(" or ")
    if not separator:
        return Message.of(expected)
    return Message("{items} or {last}", items=head, last=last)


def _location(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


def install(app: FastAPI) -> None:
    translations()  # read the catalogue now: a broken one stops the start, not an error answer

    @app.exception_handler(Problem)
    async def _problem(request: Request, error: Problem) -> JSONResponse:
        return _response(request, error.status, error.code, error.message, **error.extra)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, error: DomainError) -> JSONResponse:
        status = _STATUS_BY_CODE.get(error.code, 409)
        extra: dict[str, Any] = (
            {"state": error.state} if isinstance(error, IllegalTransition) else {}
        )
        if isinstance(error, NotEligible):  # every rule refused, its version and facts
            extra["refusals"] = [{**r.to_json(), "i18n": both(r.message)} for r in error.refusals]
        if isinstance(error, WorkbookRejected):  # every bad cell by sheet, row and column
            extra["errors"] = [both(problem) for problem in error.problems]
        return _response(request, status, error.code, error.message, **extra)

    @app.exception_handler(ProposalNotFound)
    async def _missing(request: Request, error: ProposalNotFound) -> JSONResponse:
        default = f"no proposal {error.proposal_id}"
        message = (
            Message("no proposal {id}", id=str(error.proposal_id))
            if str(error) == default
            else Message.of(str(error))
        )
        return _response(request, 404, "not-found", message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        language = negotiate(request.headers.get("accept-language"))
        found = [(e, validation_message(e)) for e in error.errors()]
        errors = [
            {
                "loc": list(e.get("loc", ())),
                "type": e.get("type", ""),
                "msg": render(message, language),
                "i18n": both(message),
            }
            for e, message in found
        ]
        where = Message.joined(
            Message("{field}: {problem}", field=_location(e.get("loc", ())), problem=message)
            for e, message in found
        )
        detail = Message("invalid request: {errors}", errors=where)
        return _response(request, 422, "invalid-input", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
        return _response(request, error.status_code, code, Message.of(str(error.detail)))

    @app.exception_handler(ProcessUnavailable)
    async def _process_down(request: Request, error: ProcessUnavailable) -> JSONResponse:
        return _response(request, 503, "process-unavailable", error.message)

    @app.exception_handler(PersistenceError)
    @app.exception_handler(psycopg.OperationalError)
    @app.exception_handler(PoolTimeout)
    async def _store_down(request: Request, error: Exception) -> JSONResponse:
        log.error(
            "the database did not answer on %s %s: %s",
            request.method,
            request.url.path,
            type(error).__name__,
        )
        return _response(
            request,
            503,
            "store-unavailable",
            Message("the database is not answering; nothing was written, try again"),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _response(request, 500, "internal-error", Message("an unexpected error occurred"))
