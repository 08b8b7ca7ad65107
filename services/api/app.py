"""The FastAPI application: routers, problem handlers, and the runtime it serves."""

from __future__ import annotations

from fastapi import FastAPI

from services.api import problems
from services.api.routes import audit, documents, health, inbox, proposals, steps
from services.runtime import Runtime

DESCRIPTION = """
Xét duyệt thi đua – khen thưởng của Liên hiệp Hội Việt Nam (VUSTA award approval).

Every endpoint except `/health` needs `Authorization: Bearer <token>`; get one with
`awards token issue USERNAME`. Errors are `application/problem+json`.
"""


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(title="awards", version="0.1.0", description=DESCRIPTION)
    app.state.runtime = runtime
    problems.install(app)
    for module in (health, proposals, documents, steps, inbox, audit):
        app.include_router(module.router)
    return app
