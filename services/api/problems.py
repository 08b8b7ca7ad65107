"""Errors as RFC 9457 problem details (application/problem+json) with a machine-readable type."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from eventsourcing.persistence import PersistenceError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import BallotError, DomainError, IllegalTransition, InvalidInput
from services.application import ProposalNotFound
from services.process import ProcessUnavailable

log = logging.getLogger("awards.api")

_STATUS_BY_CODE = {
    IllegalTransition.code: 409,
    BallotError.code: 409,
    InvalidInput.code: 422,
    DomainError.code: 409,
    "not-found": 404,
}
_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict with the proposal's state",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid input",
    503: "Service unavailable",
}


class Problem(Exception):
    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra
        super().__init__(detail)


def problem_for_code(code: str, detail: str, **extra: Any) -> Problem:
    return Problem(_STATUS_BY_CODE.get(code, 409), code, detail, **extra)


def _response(request: Request, status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    body = {
        "type": f"urn:awards:problem:{code}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, error: Problem) -> JSONResponse:
        return _response(request, error.status, error.code, error.detail, **error.extra)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, error: DomainError) -> JSONResponse:
        status = _STATUS_BY_CODE.get(error.code, 409)
        extra = {"state": error.state} if isinstance(error, IllegalTransition) else {}
        return _response(request, status, error.code, str(error), **extra)

    @app.exception_handler(ProposalNotFound)
    async def _missing(request: Request, error: ProposalNotFound) -> JSONResponse:
        return _response(request, 404, "not-found", str(error))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in error.errors()
        ]
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return _response(request, 422, "invalid-input", f"invalid request: {where}", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
        return _response(request, error.status_code, code, str(error.detail))

    @app.exception_handler(ProcessUnavailable)
    async def _process_down(request: Request, error: ProcessUnavailable) -> JSONResponse:
        return _response(request, 503, "process-unavailable", str(error))

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
            "the database is not answering; nothing was written, try again",
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _response(request, 500, "internal-error", "an unexpected error occurred")
