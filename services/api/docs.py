"""The API's documentation: problem answers in OpenAPI, and /docs and /redoc served offline."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Swagger UI and Redoc as the fastapi-offline wheel ships them (Apache-2.0 and MIT, licences
# in that package), so the pages work on an office network without the internet.
ASSETS_URL = "/docs-assets"
_ASSETS = files("fastapi_offline") / "static"


class ProblemError(BaseModel):
    """One refused input: where it is (`loc`), why (`msg`) and a machine-readable `type`."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An error answer (RFC 9457 problem details)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["urn:awards:problem:invalid-input"])
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str
    errors: list[ProblemError] | None = Field(default=None, description="for 422: each input")
    state: str | None = Field(default=None, description="for 409: the proposal's state")
    id: str | None = Field(default=None, description="the proposal concerned, when known")


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: _problem("The body could not be read"),
    401: _problem("No valid bearer token"),
    403: _problem("The caller's role or unit may not do this"),
    404: _problem("No such proposal, or not visible to the caller"),
    409: _problem("The proposal's state does not allow this step"),
    422: _problem("Invalid input; `errors` names each field"),
    503: _problem("The database or Temporal is not answering"),
}
UPLOAD_PROBLEMS: dict[int | str, dict[str, Any]] = {
    413: _problem("The document is larger than the configured limit"),
    415: _problem("The document's media type is not accepted"),
}


def install_openapi(app: FastAPI) -> None:
    """Add the Problem schema the responses above refer to; FastAPI knows only their $ref."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(schema.pop("$defs", {}))
            schemas["Problem"] = schema
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_pages(app: FastAPI) -> None:
    """/docs and /redoc with every asset from the package: no CDN, no web fonts."""
    app.mount(ASSETS_URL, StaticFiles(directory=str(_ASSETS)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} – Swagger UI",
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            # Swagger UI would otherwise send the document to an online validator.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} – ReDoc",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )
