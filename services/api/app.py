"""The FastAPI application: routers, problem handlers, and the runtime it serves."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from services.api import problems
from services.api.docs import PROBLEMS, UPLOAD_PROBLEMS, install_openapi, install_pages
from services.api.routes import (
    audit,
    calendar,
    cluster_year,
    cluster_year_conference,
    complaints,
    decisions,
    delegations,
    documents,
    eligibility,
    health,
    inbox,
    organisation,
    proposals,
    publication,
    revocations_award,
    rulebook,
    sessions,
    steps,
)
from services.api.text import refuse_control_characters
from services.runtime import Runtime
from services.web.pages import install as install_web

DESCRIPTION = """
Xét duyệt thi đua – khen thưởng của Liên hiệp Hội Việt Nam (VUSTA award approval).

Every endpoint except `/health` and `/api/public/nominees` (the nominees published for
feedback) needs `Authorization: Bearer <token>`; get one with
`awards token issue USERNAME`. Errors are `application/problem+json`.
"""


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(
        title="awards",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url=None,  # served from the package by install_pages, not from a CDN
        redoc_url=None,
    )
    app.state.runtime = runtime
    problems.install(app)
    # Every parameter and read header passes one check; bodies use services.api.text's types.
    clean = [Depends(refuse_control_characters)]
    app.include_router(health.router, dependencies=clean)
    for module in (
        proposals,
        steps,
        inbox,
        audit,
        cluster_year,
        cluster_year_conference,
        organisation,
        rulebook,
        calendar,
        eligibility,
        publication,  # --- publish ---
        complaints,
        revocations_award,
        decisions,
        delegations,
        sessions,
    ):
        app.include_router(module.router, dependencies=clean, responses=PROBLEMS)
    app.include_router(
        documents.router, dependencies=clean, responses={**PROBLEMS, **UPLOAD_PROBLEMS}
    )
    install_openapi(app)
    install_pages(app)
    install_web(app)  # the pages for officials, under /
    return app
