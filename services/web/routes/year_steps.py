"""The steps taken from the cluster year's page: each posts a form, calls the cluster year's use
case as the API does, then shows the year again; the conference ballot shows its receipt and
tracker instead, never the choices."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from services.application import cluster_year as years
from services.application.process import ProcessClosed, ProcessUnavailable, StepRefused
from services.runtime import Runtime
from services.web import year_steps as build
from services.web.deps import FieldError, RuntimeDep, ViewerDep, checked, need, posted, text
from services.web.rendering import page
from services.web.routes.cluster_year import year_page
from services.web.routes.steps import refusal_of
from services.web.session import Viewer

router = APIRouter(prefix="/years/{year}/clusters/{cluster}", include_in_schema=False)
Action = Callable[[FormData], Awaitable[str]]
REFUSALS = (
    FieldError,
    DomainError,
    StepRefused,
    ProcessClosed,
    ProcessUnavailable,
    years.NotYourStep,
    years.YearNotFound,
)


def _refusal(error: Exception) -> tuple[int, Message]:
    if isinstance(error, years.NotYourStep):
        return 403, error.message
    if isinstance(error, years.YearNotFound):
        return 404, Message("this cluster year is not launched yet")
    return refusal_of(error)


async def _act(
    request: Request, runtime: Runtime, viewer: Viewer, year: int, cluster: str, action: Action
) -> Response:
    form = await posted(request, viewer)
    try:
        done = await action(form)
    except REFUSALS as error:
        status, message = _refusal(error)
        return await year_page(request, runtime, viewer, year, cluster, message, status)
    return RedirectResponse(f"/years/{year}/clusters/{cluster}?done={done}", status_code=303)


def _key(form: FormData) -> str | None:
    return text(form, "key", limit=200) or None


def _points(form: FormData) -> int:
    try:
        return int(text(form, "points", required=True, limit=6))
    except ValueError:
        raise FieldError(Message("the points must be a whole number")) from None


@dataclass(frozen=True)
class Posted:
    """A member's form and where it was posted: what a step's command is built from."""

    runtime: Runtime
    form: FormData
    year: int
    cluster: str

    def text(self, name: str, *, required: bool = False, limit: int = 5_000) -> str:
        return text(self.form, name, required=required, limit=limit)


def _member_step(done: str, builder: Callable[[Posted], years.Build]) -> None:
    """A step a member unit takes (the head and the deputy are member units too)."""

    async def route(
        request: Request, year: int, cluster: str, runtime: RuntimeDep, viewer: ViewerDep
    ) -> Response:
        need(viewer, "cluster_member")

        async def act(form: FormData) -> str:
            step = await run_in_threadpool(builder, Posted(runtime, form, year, cluster))
            await years.take_step(runtime, viewer.user, year, cluster, step, _key(form))
            return done

        return await _act(request, runtime, viewer, year, cluster, act)

    router.post(f"/{done}")(route)


_member_step("pledged", lambda p: build.pledge())
_member_step(
    "criteria",
    lambda p: build.criteria(
        p.runtime, p.text("template", required=True, limit=100), p.text("reason")
    ),
)
_member_step("scoring", lambda p: build.open_scoring())
_member_step(
    "adjusted",
    lambda p: build.adjust(
        build.Adjustment(
            member=p.text("member", required=True, limit=100),
            criterion=p.text("criterion", required=True, limit=50),
            points=_points(p.form),
            reason=p.text("reason", required=True),
        )
    ),
)
_member_step(
    "contested",
    lambda p: build.contest(
        p.text("criterion", required=True, limit=50), p.text("reason", required=True)
    ),
)
_member_step(
    "settled",
    lambda p: build.settle(
        p.text("member", required=True, limit=100),
        p.text("criterion", required=True, limit=50),
        p.text("outcome", required=True, limit=10),
        p.text("reason", required=True),
    ),
)
_member_step("mid-year", lambda p: build.mid_year(p.text("reason", required=True)))
_member_step(
    "ranked",
    lambda p: years.year_end_command(
        p.runtime, p.year, p.cluster, [], p.text("reason", required=True)
    ),
)
_member_step(
    "candidates",
    lambda p: build.candidates(
        p.text("flag", limit=100) or None,
        [str(unit) for unit in p.form.getlist("certificates")],
        p.text("reason", required=True),
    ),
)


@router.post("/scored")
async def self_score(
    request: Request, year: int, cluster: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    """A member unit's own score on one criterion, with its evidence file."""
    need(viewer, "cluster_member")

    async def act(form: FormData) -> str:
        file = form.get("evidence")
        if not isinstance(file, UploadFile) or not file.filename:
            raise FieldError(Message("choose a file to attach"))
        content = await file.read(runtime.settings.document_max_bytes + 1)
        name = checked(file.filename, "evidence", limit=255)
        evidence = await build.store_evidence(runtime, name, file.content_type or "", content)
        criterion = text(form, "criterion", required=True, limit=50)
        step = build.self_score(criterion, _points(form), [evidence])
        await years.take_step(runtime, viewer.user, year, cluster, step, _key(form))
        return "scored"

    return await _act(request, runtime, viewer, year, cluster, act)


@router.post("/launched")
async def launch(
    request: Request, year: int, cluster: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    """The council secretary (or the head the organisation names) launches with the plan."""
    need(viewer, "council_secretary", "cluster_member")

    async def act(form: FormData) -> str:
        file = form.get("plan")
        if not isinstance(file, UploadFile) or not file.filename:
            raise FieldError(Message("choose a file to attach"))
        content = await file.read(runtime.settings.document_max_bytes + 1)
        name = checked(file.filename, "plan", limit=255)
        plan = await build.store_evidence(runtime, name, file.content_type or "", content)
        head = text(form, "head", limit=100) or None
        deputy = text(form, "deputy", limit=100) or None
        key = _key(form)
        await years.launch(runtime, viewer.user, year, cluster, plan, head, deputy, key)
        return "launched"

    return await _act(request, runtime, viewer, year, cluster, act)


@router.post("/closed")
async def close(
    request: Request, year: int, cluster: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    need(viewer, "council_secretary", "cluster_member")

    async def act(form: FormData) -> str:
        reason = text(form, "reason", required=True)
        await years.close_conference(runtime, viewer.user, year, cluster, reason, _key(form))
        return "closed"

    return await _act(request, runtime, viewer, year, cluster, act)


@router.post("/elected")
async def elect(
    request: Request, year: int, cluster: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    need(viewer, "cluster_member")

    async def act(form: FormData) -> str:
        head = text(form, "head", required=True, limit=100)
        deputy = text(form, "deputy", required=True, limit=100)
        reason = text(form, "reason", required=True)
        place = text(form, "place", limit=200)  # where the conference met: for its minutes
        key = _key(form)
        await years.elect(runtime, viewer.user, year, cluster, head, deputy, reason, place, key)
        return "elected"

    return await _act(request, runtime, viewer, year, cluster, act)


@router.post("/ballot")
async def ballot(
    request: Request, year: int, cluster: str, runtime: RuntimeDep, viewer: ViewerDep
) -> Response:
    """One form, a line per candidate; the choices live only in this request. The page that
    answers shows the receipt and tracker, never the choices."""
    need(viewer, "cluster_member")
    form = await posted(request, viewer)
    try:
        lines = [str(line) for line in form.getlist("lines")]
        choices = {line: text(form, f"line:{line}", required=True, limit=10) for line in lines}
        if any(choice not in ("yes", "no", "abstain") for choice in choices.values()):
            raise FieldError(Message("choose yes, no or abstain"))
        taken = await years.cast_ballot(runtime, viewer.user, year, cluster, choices, _key(form))
    except REFUSALS as error:
        status, message = _refusal(error)
        return await year_page(request, runtime, viewer, year, cluster, message, status)
    return page(
        request,
        "year_receipt.html",
        viewer,
        viewer.language,
        year=year,
        cluster=cluster,
        tracker=taken.tracker,
        receipt=taken.receipt,
    )
