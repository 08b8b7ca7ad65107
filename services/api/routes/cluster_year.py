"""The cluster's year over HTTP, under /api/years/{year}/clusters/{cluster}: each route builds
the step, calls the use case (services/application/cluster_year.py) and shapes its answer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.types import DecoratedCallable
from starlette.concurrency import run_in_threadpool

from domain.cluster_year import commands as c
from domain.cluster_year.aggregate import ClusterYear
from domain.cluster_year.criteria import template_to_json
from domain.kernel.actor import Role
from domain.kernel.message import Message
from services.api.params import ClusterMember, CurrentUser, IdempotencyKey, RuntimeDep
from services.api.problems import Problem, problem_for_code
from services.api.schemas.cluster_year import (
    AdjustIn,
    ContestIn,
    CriteriaIn,
    LaunchIn,
    ReasonIn,
    ScoreIn,
    SettleIn,
    YearAnswer,
    YearEndIn,
    YearState,
)
from services.application import cluster_year as years
from services.application.cluster_year_sources import rulebook_version
from services.application.directory import User

router = APIRouter(prefix="/api/years/{year}/clusters/{cluster}", tags=["cluster year"])


@asynccontextmanager
async def refusals(year: int, cluster: str) -> AsyncIterator[None]:
    try:
        yield
    except years.StepRefused as refusal:
        extra = {"state": refusal.state} if refusal.state else {}
        raise problem_for_code(refusal.code, refusal.message, **extra) from None
    except years.NotYourStep as refusal:
        raise Problem(403, "forbidden", refusal.message) from None
    except years.YearNotFound:
        raise not_found(year, cluster) from None
    except years.ProcessClosed:
        raise Problem(409, "illegal-transition", Message("this cluster year is over")) from None


def not_found(year: int, cluster: str) -> Problem:
    return Problem(
        404, "not-found", Message("no cluster year {cluster} {year}", cluster=cluster, year=year)
    )


def _post(path: str, summary: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
    return router.post(path, summary=summary, response_model=YearAnswer)


def answer(taken: years.YearTaken) -> YearAnswer:
    return YearAnswer(
        stage=taken.stage, message=taken.message, tracker=taken.tracker, receipt=taken.receipt
    )


async def readable(runtime: RuntimeDep, user: User, year: int, cluster: str) -> ClusterYear:
    """The year, for the council's and the auditors' roles, or for a person of a member unit
    of the cluster in THAT year (a unit that moved since reads its old cluster's year);
    anyone else is told there is no such year."""
    async with refusals(year, cluster):
        current: ClusterYear = await run_in_threadpool(years.read_year, runtime, year, cluster)
    council = (Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER, Role.AUDITOR, Role.ADMIN)
    if not user.has(*council, Role.PRESIDENT) and user.unit_id not in current.members:
        raise not_found(year, cluster)
    return current


@router.get("", summary="The cluster year as it stands", response_model=YearState)
async def show(year: int, cluster: str, runtime: RuntimeDep, user: CurrentUser) -> YearState:
    current = await readable(runtime, user, year, cluster)
    return YearState(
        group_id=current.group_id,
        year=current.year,
        stage=current.stage,
        members=list(current.members),
        head=current.head,
        deputy=current.deputy,
        rulebook_version=current.rulebook_version,
        plan=current.plan.to_json(),
        pledges=current.pledges,
        criteria=current.criteria,
        scores=[score.to_json() for score in current.scores.values()],
        mid_year=current.mid_year,
        ranking=[vars(s).copy() for s in current.ranking],
        lines=current.line_ids,
        voted=current.voted,
        result=current.result,
        elected=current.elected,
        records=current.records,
        notices=current.notices,
        nominations=current.nominations,
    )


@_post("/launch", "Launch the year with its plan (council secretary or the head)")
async def launch(
    year: int,
    cluster: str,
    body: LaunchIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    if not user.has(Role.COUNCIL_SECRETARY, Role.CLUSTER_MEMBER):
        raise Problem(403, "forbidden", Message("the council secretary or the head launches"))
    async with refusals(year, cluster):
        taken = await years.launch(
            runtime,
            user,
            year,
            cluster,
            body.plan.model_dump(),
            body.head,
            body.deputy,
            idempotency_key,
        )
    return answer(taken)


async def take(
    runtime: RuntimeDep, user: User, year: int, cluster: str, build: years.Build, key: str | None
) -> YearAnswer:
    async with refusals(year, cluster):
        return answer(await years.take_step(runtime, user, year, cluster, build, key))


@_post("/pledge", "Sign the pledge for the caller's unit")
async def pledge(
    year: int,
    cluster: str,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    now = datetime.now(UTC)
    return await take(
        runtime,
        user,
        year,
        cluster,
        lambda a, u, k: c.SignPledge(actor=a, key=k, unit=u, at=now),
        idempotency_key,
    )


@_post("/criteria", "Set the criteria (the head; from a rulebook template)")
async def criteria(
    year: int,
    cluster: str,
    body: CriteriaIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    data = body.criteria
    if data is None:
        version = rulebook_version(runtime)
        chosen = [t for t in version.criteria_templates if t.code == body.template] or list(
            version.criteria_templates[:1]
        )
        data = template_to_json(chosen[0])
    return await take(
        runtime,
        user,
        year,
        cluster,
        lambda a, u, k: c.SetCriteria(actor=a, key=k, unit=u, criteria=data, reason=body.reason),
        idempotency_key,
    )


@_post("/scoring", "Open scoring: the criteria are frozen (the head)")
async def open_scoring(
    year: int,
    cluster: str,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    return await take(
        runtime,
        user,
        year,
        cluster,
        lambda a, u, k: c.OpenScoring(actor=a, key=k, unit=u),
        idempotency_key,
    )


@_post("/scores", "Self-score one criterion with evidence (the caller's unit)")
async def self_score(
    year: int,
    cluster: str,
    body: ScoreIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    evidence = [e.model_dump() for e in body.evidence]
    return await take(
        runtime,
        user,
        year,
        cluster,
        lambda a, u, k: c.SelfScore(
            actor=a, key=k, unit=u, criterion=body.criterion, points=body.points, evidence=evidence
        ),
        idempotency_key,
    )


@_post("/adjustments", "Adjust a member's score with a reason (the head)")
async def adjust(
    year: int,
    cluster: str,
    body: AdjustIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    return await take(
        runtime,
        user,
        year,
        cluster,
        lambda a, u, k: c.Adjust(
            actor=a,
            key=k,
            unit=u,
            member=body.member,
            criterion=body.criterion,
            points=body.points,
            reason=body.reason,
        ),
        idempotency_key,
    )


@_post("/contests", "Contest an adjustment of the caller's unit's score, once")
async def contest(
    year: int,
    cluster: str,
    body: ContestIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    return await take(
        runtime,
        user,
        year,
        cluster,
        lambda a, u, k: c.Contest(
            actor=a, key=k, unit=u, criterion=body.criterion, reason=body.reason
        ),
        idempotency_key,
    )


@_post("/settlements", "Settle a contest: keep or restore (the deputy)")
async def settle(
    year: int,
    cluster: str,
    body: SettleIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    return await take(
        runtime,
        user,
        year,
        cluster,
        lambda a, u, k: c.Settle(
            actor=a,
            key=k,
            unit=u,
            member=body.member,
            criterion=body.criterion,
            outcome=body.outcome,
            reason=body.reason,
        ),
        idempotency_key,
    )


@_post("/mid-year", "Record the mid-year review (the head)")
async def mid_year(
    year: int,
    cluster: str,
    body: ReasonIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    return await take(
        runtime,
        user,
        year,
        cluster,
        lambda a, u, k: c.MidYear(actor=a, key=k, unit=u, reason=body.reason),
        idempotency_key,
    )


@_post("/ranking", "Year-end summary: finalise and rank (the head)")
async def ranking(
    year: int,
    cluster: str,
    body: YearEndIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    build = await run_in_threadpool(
        years.year_end_command, runtime, year, cluster, body.chair_order, body.reason
    )
    return await take(runtime, user, year, cluster, build, idempotency_key)
