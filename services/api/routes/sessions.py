"""The council's sessions over HTTP, under /api/sessions: the standing member (council
secretary) convenes and runs them, council members vote and declare recusals, trustees give
their shares, auditors read. Each route calls services/application/session.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict

from fastapi import APIRouter
from fastapi.types import DecoratedCallable
from starlette.concurrency import run_in_threadpool

from domain.kernel.actor import Role
from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from domain.session import commands as c
from domain.session.aggregate import CouncilSession
from services.api.params import CouncilSecretary, CurrentUser, IdempotencyKey, RuntimeDep
from services.api.problems import Problem, problem_for_code
from services.api.schemas.cluster_year import ListCountAnswer
from services.api.schemas.sessions import (
    AgendaIn,
    AttendanceIn,
    ConveneIn,
    ListBallotIn,
    OrderIn,
    ReasonIn,
    RecusalIn,
    SessionAnswer,
    SessionState,
    ShareIn,
)
from services.api.schemas.steps import ReceiptAnswer, ReceiptIn
from services.application import list_voting
from services.application import session as sessions
from services.application.directory import User

router = APIRouter(prefix="/api/sessions", tags=["council session"])
_READERS = (Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER, Role.AUDITOR, Role.PRESIDENT, Role.ADMIN)


@asynccontextmanager
async def _refusals(session_id: str) -> AsyncIterator[None]:
    try:
        yield
    except sessions.StepRefused as refusal:
        extra = {"state": refusal.state} if refusal.state else {}
        raise problem_for_code(refusal.code, refusal.message, **extra) from None
    except sessions.NotYourStep as refusal:
        raise Problem(403, "forbidden", refusal.message) from None
    except sessions.SessionNotFound:
        raise _not_found(session_id) from None
    except sessions.ProcessClosed:
        raise Problem(409, "illegal-transition", Message("this session is over")) from None
    except DomainError as error:
        raise problem_for_code(error.code, error.message) from None


def _not_found(session_id: str) -> Problem:
    return Problem(404, "not-found", Message("no council session {id}", id=session_id))


def _post(path: str, summary: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
    return router.post(path, summary=summary, response_model=SessionAnswer)


def _answer(taken: sessions.SessionTaken) -> SessionAnswer:
    return SessionAnswer(
        id=taken.session_id,
        stage=taken.stage,
        message=taken.message,
        tracker=taken.tracker,
        receipt=taken.receipt,
    )


async def _readable(runtime: RuntimeDep, user: User, session_id: str) -> CouncilSession:
    if not user.has(*_READERS):
        raise _not_found(session_id)
    async with _refusals(session_id):
        return await run_in_threadpool(sessions.read_session, runtime, session_id)


@router.post(
    "",
    summary="Convene a council session (the standing member)",
    status_code=201,
    response_model=SessionAnswer,
)
async def convene(
    body: ConveneIn, runtime: RuntimeDep, user: CouncilSecretary, key: IdempotencyKey = None
) -> SessionAnswer:
    async with _refusals(""):
        return _answer(await sessions.convene(runtime, user, body.held_on, body.place, key))


@router.get("/{session_id}", summary="The session as it stands", response_model=SessionState)
async def show(session_id: str, runtime: RuntimeDep, user: CurrentUser) -> SessionState:
    s = await _readable(runtime, user, session_id)
    return SessionState(
        id=str(s.id),
        year=s.year,
        held_on=s.held_on,
        place=s.place,
        stage=s.stage,
        members=list(s.members),
        secretary=s.secretary,
        agenda=[item.to_json() for item in s.items],
        attendance=dict(s.attendance),
        recusals=[asdict(r) for r in s.recusals],
        quorum_checks=list(s.quorum_checks),
        voted=list(s.vote.voted) if s.vote else [],
        result=s.result,
        records=list(s.records),
        closing_reason=s.closing_reason,
    )


@_post("/{session_id}/agenda", "Put an appraised proposal on the agenda")
async def add_item(
    session_id: str,
    body: AgendaIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    key: IdempotencyKey = None,
) -> SessionAnswer:
    async with _refusals(session_id):
        item = await run_in_threadpool(sessions.agenda_item, runtime, body.proposal_id)
        build = lambda actor, k: c.AddItem(actor=actor, key=k, item=item.to_json())  # noqa: E731
        return _answer(await sessions.take_step(runtime, user, session_id, build, key))


@_post("/{session_id}/agenda/{proposal_id}/remove", "Take a proposal off the agenda")
async def remove_item(
    session_id: str,
    proposal_id: str,
    body: ReasonIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    key: IdempotencyKey = None,
) -> SessionAnswer:
    build = lambda actor, k: c.RemoveItem(  # noqa: E731
        actor=actor, key=k, proposal_id=proposal_id, reason=body.reason
    )
    async with _refusals(session_id):
        return _answer(await sessions.take_step(runtime, user, session_id, build, key))


@router.put("/{session_id}/agenda", summary="Reorder the agenda", response_model=SessionAnswer)
async def reorder(
    session_id: str,
    body: OrderIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    key: IdempotencyKey = None,
) -> SessionAnswer:
    build = lambda actor, k: c.Reorder(actor=actor, key=k, order=body.order)  # noqa: E731
    async with _refusals(session_id):
        return _answer(await sessions.take_step(runtime, user, session_id, build, key))


@_post("/{session_id}/attendance", "Record a member present, absent with a written vote, absent")
async def attendance(
    session_id: str,
    body: AttendanceIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    key: IdempotencyKey = None,
) -> SessionAnswer:
    build = lambda actor, k: c.RecordAttendance(  # noqa: E731
        actor=actor, key=k, member=body.member, attendance=body.attendance
    )
    async with _refusals(session_id):
        return _answer(await sessions.take_step(runtime, user, session_id, build, key))


@_post("/{session_id}/recusals", "Declare (a member) or record (the secretary) a recusal")
async def recusal(
    session_id: str,
    body: RecusalIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    key: IdempotencyKey = None,
) -> SessionAnswer:
    async with _refusals(session_id):
        taken = await sessions.recuse(
            runtime, user, session_id, body.member, body.proposal_id, body.reason, key
        )
    return _answer(taken)


async def _opening(
    runtime: RuntimeDep, user: User, session_id: str, voting: bool, key: str | None
) -> sessions.SessionTaken:
    current = await run_in_threadpool(sessions.read_session, runtime, session_id)
    quorum = sessions.quorum_of(runtime, current)
    kind = c.OpenVoting if voting else c.Open
    return await sessions.take_step(
        runtime, user, session_id, lambda actor, k: kind(actor=actor, key=k, **quorum), key
    )


@_post("/{session_id}/open", "Open the session (quorum checked; below it, recorded)")
async def open_session(
    session_id: str, runtime: RuntimeDep, user: CouncilSecretary, key: IdempotencyKey = None
) -> SessionAnswer:
    async with _refusals(session_id):
        return _answer(await _opening(runtime, user, session_id, False, key))


@_post("/{session_id}/voting", "Open the voting (quorum checked again; below it, recorded)")
async def open_voting(
    session_id: str, runtime: RuntimeDep, user: CouncilSecretary, key: IdempotencyKey = None
) -> SessionAnswer:
    async with _refusals(session_id):
        return _answer(await _opening(runtime, user, session_id, True, key))


async def _cast(
    runtime: RuntimeDep,
    user: User,
    session_id: str,
    body: ListBallotIn,
    written: bool,
    key: str | None,
) -> SessionAnswer:
    if not user.has(Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY, Role.PRESIDENT):
        raise Problem(403, "forbidden", Message("only council members vote in a session"))
    async with _refusals(session_id):
        taken = await sessions.cast_ballot(
            runtime, user, session_id, dict(body.choices), written, key
        )
    return _answer(taken)


@_post("/{session_id}/ballots", "A present member's list ballot: every line at once, once")
async def ballot(
    session_id: str,
    body: ListBallotIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    key: IdempotencyKey = None,
) -> SessionAnswer:
    return await _cast(runtime, user, session_id, body, False, key)


@_post("/{session_id}/written-votes", "An absent member's written vote, before the voting")
async def written_vote(
    session_id: str,
    body: ListBallotIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    key: IdempotencyKey = None,
) -> SessionAnswer:
    return await _cast(runtime, user, session_id, body, True, key)


@_post("/{session_id}/close", "Close the voting: the box is sealed, the count follows")
async def close(
    session_id: str,
    body: ReasonIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    key: IdempotencyKey = None,
) -> SessionAnswer:
    async with _refusals(session_id):
        return _answer(await sessions.close_voting(runtime, user, session_id, body.reason, key))


@_post("/{session_id}/adjourn", "Adjourn the session without a vote; its proposals leave it")
async def adjourn(
    session_id: str,
    body: ReasonIn,
    runtime: RuntimeDep,
    user: CouncilSecretary,
    key: IdempotencyKey = None,
) -> SessionAnswer:
    build = lambda actor, k: c.Adjourn(actor=actor, key=k, reason=body.reason)  # noqa: E731
    async with _refusals(session_id):
        return _answer(await sessions.take_step(runtime, user, session_id, build, key))


@router.get(
    "/{session_id}/count",
    summary="The sealed box and line totals, for trustees and auditors",
    response_model=ListCountAnswer,
)
async def count(session_id: str, runtime: RuntimeDep, user: CurrentUser) -> ListCountAnswer:
    current = await _readable(runtime, user, session_id)
    async with _refusals(session_id):
        view = await run_in_threadpool(list_voting.count_view, current.box_of_votes())
    return ListCountAnswer.model_validate(view.to_json())


@_post("/{session_id}/shares", "A trustee's decryption share of every line's totals at once")
async def share(
    session_id: str,
    body: ShareIn,
    runtime: RuntimeDep,
    user: CurrentUser,
    key: IdempotencyKey = None,
) -> SessionAnswer:
    if not user.has(Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER, Role.ADMIN):
        raise Problem(403, "forbidden", Message("proposers do not take part in counting votes"))
    given = dict(body.share)
    build = lambda actor, k: c.GiveShare(actor=actor, key=k, share=given)  # noqa: E731
    async with _refusals(session_id):
        return _answer(await sessions.take_step(runtime, user, session_id, build, key))


@router.post(
    "/{session_id}/receipts/check",
    summary="Is my list ballot in the box, counted?",
    response_model=ReceiptAnswer,
)
async def check_receipt(
    session_id: str, body: ReceiptIn, runtime: RuntimeDep, user: CurrentUser
) -> ReceiptAnswer:
    current = await _readable(runtime, user, session_id)
    try:
        checked = list_voting.check_list_receipt(
            runtime.secret, current.box_of_votes(), user.username, body.receipt
        )
    except list_voting.ReceiptNotYours:
        raise Problem(
            403, "forbidden", Message("only the voter this receipt was issued to may check it")
        ) from None
    except list_voting.ReceiptNotFound:
        raise Problem(
            404, "not-found", Message("no ballot in this session's box has that receipt")
        ) from None
    except DomainError as error:
        raise problem_for_code(error.code, error.message) from None
    return ReceiptAnswer.of(checked)


@_post("/{session_id}/records", "Keep the minutes and the ballot count (generated, hashed)")
async def records(session_id: str, runtime: RuntimeDep, user: CouncilSecretary) -> SessionAnswer:
    async with _refusals(session_id):
        kept = await sessions.keep_records(runtime, user, session_id)
    return SessionAnswer(id=session_id, stage=kept.stage, message="records kept")
