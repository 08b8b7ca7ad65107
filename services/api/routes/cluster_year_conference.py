"""The cluster year's conference over HTTP, under /api/years/{year}/clusters/{cluster}: the
candidates, each unit's list ballot, closing and the trustees' shares, the election, the
records, receipts and the count for trustees and auditors."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from fastapi.types import DecoratedCallable
from starlette.concurrency import run_in_threadpool

from domain.cluster_year import commands as c
from domain.kernel.actor import Role
from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from services.api.params import ClusterMember, CurrentUser, IdempotencyKey, RuntimeDep
from services.api.problems import Problem, problem_for_code
from services.api.routes.cluster_year import answer, readable, refusals, take
from services.api.schemas.cluster_year import (
    CandidatesIn,
    ConferenceBallotIn,
    ElectionIn,
    ListCountAnswer,
    PlaceIn,
    ReasonIn,
    ShareIn,
    YearAnswer,
)
from services.api.schemas.steps import ReceiptAnswer, ReceiptIn
from services.application import cluster_year as years
from services.application import list_voting

router = APIRouter(prefix="/api/years/{year}/clusters/{cluster}", tags=["cluster year"])


def _post(path: str, summary: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
    return router.post(path, summary=summary, response_model=YearAnswer)


@_post("/conference/candidates", "Propose the conference's candidates (the head)")
async def candidates(
    year: int,
    cluster: str,
    body: CandidatesIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    return await take(
        runtime,
        user,
        year,
        cluster,
        lambda a, u, k: c.ProposeCandidates(
            actor=a,
            key=k,
            unit=u,
            flag=body.flag,
            certificates=body.certificates,
            government_flag=body.government_flag,
            reason=body.reason,
        ),
        idempotency_key,
    )


@_post("/conference/ballots", "Cast the caller's unit's list ballot (sealed here)")
async def ballot(
    year: int,
    cluster: str,
    body: ConferenceBallotIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    async with refusals(year, cluster):
        taken = await years.cast_ballot(runtime, user, year, cluster, body.choices, idempotency_key)
    return answer(taken)


@_post("/conference/close", "Close the ballot box and count (the head or the secretary)")
async def close(
    year: int,
    cluster: str,
    body: ReasonIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    async with refusals(year, cluster):
        taken = await years.close_conference(
            runtime, user, year, cluster, body.reason, idempotency_key
        )
    return answer(taken)


@_post("/conference/shares", "A trustee's decryption share of every line")
async def share(
    year: int,
    cluster: str,
    body: ShareIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    if not user.has(Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER, Role.ADMIN):
        raise Problem(403, "forbidden", Message("proposers do not take part in counting votes"))
    async with refusals(year, cluster):
        current = await run_in_threadpool(years.read_year, runtime, year, cluster)
        taken = await years.take_share(runtime, user, current, body.share, idempotency_key)
    return answer(taken)


@_post("/election", "Record next year's head and deputy (the head)")
async def election(
    year: int,
    cluster: str,
    body: ElectionIn,
    runtime: RuntimeDep,
    user: ClusterMember,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    async with refusals(year, cluster):
        taken = await years.elect(
            runtime,
            user,
            year,
            cluster,
            body.head,
            body.deputy,
            body.reason,
            body.place,
            idempotency_key,
        )
    return answer(taken)


@_post("/conference/records", "Keep the minutes and the count, then the proposals (again)")
async def records(
    year: int,
    cluster: str,
    body: PlaceIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> YearAnswer:
    """What the election does once it is recorded, for a year where that stopped half-way:
    nothing already kept is made twice."""
    async with refusals(year, cluster):
        current = await run_in_threadpool(years.read_year, runtime, year, cluster)
        years.check_head_or_secretary(user, current)
        await years.conclude(runtime, user, year, cluster, body.place)
    return YearAnswer(stage=current.stage, message="the conference's records are kept")


@router.post(
    "/conference/receipts",
    summary="A voter checks that their unit's list ballot is in the box and counted",
    response_model=ReceiptAnswer,
    response_model_exclude_none=True,
)
async def check_receipt(
    year: int, cluster: str, body: ReceiptIn, runtime: RuntimeDep, user: CurrentUser
) -> ReceiptAnswer:
    # A POST body, not a path: access logs must never hold a receipt.
    current = await readable(runtime, user, year, cluster)
    try:
        check = list_voting.check_list_receipt(
            runtime.secret, current.box_of_votes(), user.username, body.receipt
        )
    except list_voting.ReceiptNotYours:
        raise Problem(
            403, "forbidden", Message("only the voter this receipt was issued to may check it")
        ) from None
    except list_voting.ReceiptNotFound:
        raise Problem(
            404, "not-found", Message("no ballot in this conference's box has that receipt")
        ) from None
    except DomainError as error:
        raise problem_for_code(error.code, error.message) from None
    return ReceiptAnswer.of(check)


@router.get(
    "/conference/count",
    summary="The conference's sealed box and line totals, for trustees and auditors",
    response_model=ListCountAnswer,
)
async def conference_count(
    year: int, cluster: str, runtime: RuntimeDep, user: CurrentUser
) -> ListCountAnswer:
    current = await readable(runtime, user, year, cluster)
    try:
        count = await run_in_threadpool(list_voting.count_view, current.box_of_votes())
    except DomainError as error:
        raise problem_for_code(error.code, error.message) from None
    return ListCountAnswer.model_validate(count.to_json())
