"""The council's session as use cases: convene, the agenda, attendance, recusal, opening with
the rulebook's quorum, a member's list ballot sealed here from plain choices, closing, the
trustees' shares and adjournment, each sent to the session's workflow; and reads."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from starlette.concurrency import run_in_threadpool
from temporalio.client import WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError

from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import today
from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from domain.proposal.forms import find_form
from domain.proposal.publication import check_window_ended
from domain.session import commands as c
from domain.session.aggregate import CouncilSession
from domain.session.rules import AgendaItem, Attendance
from domain.voting.ballot import Outcome
from services.application.directory import User
from services.application.list_voting import ListBallotInput, cast_list
from services.application.process import ProcessClosed, StepRefused, _refusal, step_update_id
from services.application.session_steps import SessionNotFound, apply_session, load_session
from services.audit.conference_records import LineResult
from services.audit.session_records import SessionRecord, store_session_records
from services.runtime import Runtime
from workflows.council_session import CouncilSessionWorkflow
from workflows.council_session_messages import (
    CloseRequest,
    ConveneRequest,
    SessionAnswer,
    SessionBallot,
    SessionCarry,
    SessionRequest,
    session_workflow_id,
)

__all__ = ["ProcessClosed", "SessionNotFound", "StepRefused"]


class NotYourStep(Exception):
    """The caller may not take this step in this session."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render())


@dataclass(frozen=True)
class SessionTaken:
    session_id: str
    stage: str
    message: str
    tracker: str | None = None
    receipt: str | None = None


def read_session(runtime: Runtime, session_id: str) -> CouncilSession:
    try:
        return load_session(runtime.app, UUID(session_id))
    except ValueError:
        raise SessionNotFound(session_id) from None


def _secretary(user: User) -> Actor:
    if not user.has(Role.COUNCIL_SECRETARY):
        raise NotYourStep(Message("the council secretary (standing member) takes this step"))
    return Actor(user.username, Role.COUNCIL_SECRETARY)


async def _update(
    runtime: Runtime, session_id: str, method: Any, request: Any, user: User, key: str | None
) -> SessionAnswer:
    handle = runtime.process.client.get_workflow_handle(session_workflow_id(session_id))
    update_id = step_update_id(method.__name__, user.username, key) if key else None
    try:
        answer: SessionAnswer = await handle.execute_update(method, request, id=update_id)
    except WorkflowUpdateFailedError as error:
        raise _refusal(error.cause) from None
    except RPCError as error:
        raise ProcessClosed(str(error)) from error
    return answer


async def convene(
    runtime: Runtime, user: User, held_on: date, place: str, key: str | None
) -> SessionTaken:
    """The standing member convenes a session of the council in force on its day."""
    actor = _secretary(user)
    org = await run_in_threadpool(runtime.organisation.in_force, held_on.year)
    members = list(org.council.everyone()) if org else []
    secretary = (org.council.standing_member if org else None) or user.username
    session_id = str(uuid5(NAMESPACE_URL, f"urn:awards:session:{user.username}:{key}"))
    if key is None:
        session_id = str(uuid4())
    await runtime.process.client.start_workflow(
        CouncilSessionWorkflow.run,
        SessionCarry(session_id),
        id=session_workflow_id(session_id),
        task_queue=runtime.settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    command = c.Convene(
        actor=actor,
        key=key or f"convene:{session_id}",
        session_id=session_id,
        year=held_on.year,
        held_on=held_on.isoformat(),
        place=place,
        members=members,
        secretary=secretary,
    )
    method = CouncilSessionWorkflow.convene
    answer = await _update(runtime, session_id, method, ConveneRequest(command), user, key)
    return SessionTaken(session_id, answer.stage, "convened")


Build = Callable[[Actor, str], c.SessionCommand]


async def take_step(
    runtime: Runtime, user: User, session_id: str, build: Build, key: str | None
) -> SessionTaken:
    """A secretary's step on the session: the domain decides whether it may be taken now."""
    actor = _secretary(user)
    step_key = key or str(uuid4())
    request = SessionRequest(build(actor, step_key))
    answer = await _update(runtime, session_id, CouncilSessionWorkflow.step, request, user, key)
    return SessionTaken(session_id, answer.stage, answer.message)


def agenda_item(runtime: Runtime, proposal_id: str) -> AgendaItem:
    """An appraised proposal as an agenda line, with its form's council rule in its own
    rulebook version."""
    try:
        proposal = runtime.app.proposal(UUID(proposal_id))
    except ValueError:
        raise DomainError("proposal {id} is not on this session's agenda", id=proposal_id) from None
    version = runtime.rulebook.version(proposal.rulebook_version)
    # --- publish ---: a nominee the version publishes goes on only after its window
    check_window_ended(proposal, today(), version.publication_forms)
    return AgendaItem(
        proposal_id=str(proposal.id),
        form=proposal.form,
        nominee=proposal.nominee.name,
        title=proposal.title,
        rulebook_version=version.code,
        rule=version.ballot_rule("council", proposal.form),
    )


def quorum_of(runtime: Runtime, session: CouncilSession) -> dict[str, Any]:
    """The rulebook's quorum in force on the session's day."""
    rules = runtime.rulebook.in_force(session.held_on).session
    return {
        "quorum": rules.quorum,
        "recused_count_toward_quorum": rules.recused_count_toward_quorum,
    }


async def recuse(
    runtime: Runtime,
    user: User,
    session_id: str,
    member: str | None,
    proposal_id: str,
    reason: str,
    key: str | None,
) -> SessionTaken:
    """A member declares its own recusal, or the secretary records one for a member."""
    member = member or user.username
    if member == user.username and user.has(Role.COUNCIL_MEMBER, Role.COUNCIL_SECRETARY):
        role = Role.COUNCIL_MEMBER if user.has(Role.COUNCIL_MEMBER) else Role.COUNCIL_SECRETARY
        actor = Actor(user.username, role)
    else:
        actor = _secretary(user)
    command = c.Recuse(
        actor=actor, key=key or str(uuid4()), member=member, proposal_id=proposal_id, reason=reason
    )
    method = CouncilSessionWorkflow.step
    answer = await _update(runtime, session_id, method, SessionRequest(command), user, key)
    return SessionTaken(session_id, answer.stage, answer.message)


async def cast_ballot(
    runtime: Runtime,
    user: User,
    session_id: str,
    choices: dict[str, str],
    written: bool,
    key: str | None,
) -> SessionTaken:
    """Seal a member's plain choices per line here (they live only in this request's
    memory), issue the voter's receipt and send the whole list to the workflow, once."""
    current = await run_in_threadpool(read_session, runtime, session_id)
    kind = current.attendance.get(user.username)
    if written != (kind == Attendance.WRITTEN):
        if written:
            raise NotYourStep(
                Message("{member} is not recorded absent with a written vote", member=user.username)
            )
        raise NotYourStep(
            Message("{member} votes in writing, not in the room", member=user.username)
        )
    cast = await asyncio.to_thread(
        cast_list,
        runtime.secret,
        current.box_of_votes(),
        user.username,
        user.username,
        ListBallotInput(choices=choices),
        key,
    )
    request = SessionBallot(
        user.username, Role.COUNCIL_MEMBER, user.username, cast.ballot, cast.receipt_hash
    )
    answer = await _update(runtime, session_id, CouncilSessionWorkflow.cast, request, user, key)
    return SessionTaken(session_id, answer.stage, answer.message, answer.tracker, cast.receipt)


async def close_voting(
    runtime: Runtime, user: User, session_id: str, reason: str, key: str | None
) -> SessionTaken:
    actor = _secretary(user)
    request = CloseRequest(actor.id, actor.role, reason)
    answer = await _update(runtime, session_id, CouncilSessionWorkflow.close, request, user, key)
    return SessionTaken(session_id, answer.stage, answer.message)


# ---- the session's records ---------------------------------------------------------------


def record_of(runtime: Runtime, session: CouncilSession) -> SessionRecord:
    """The typed input of both records, every member by the name officials use."""
    if session.result is None:
        raise DomainError("the session's records follow its count")
    vote = session.box_of_votes()

    def name(username: str) -> str:
        person = runtime.directory.user(username)
        return person.full_name if person else username

    org = runtime.organisation.in_force(session.year)
    chair = org.council.chair if org and org.council.chair else session.secretary
    by_kind = {
        kind: [name(m) for m, k in session.attendance.items() if k == kind] for kind in Attendance
    }
    lines = tuple(
        LineResult(
            line_id=item.line,
            candidate=item.nominee,
            form=find_form(item.form).name_vi,
            electorate=int(session.result[item.line]["base"]),
            tally=session.tally(item.proposal_id),
            outcome=Outcome(session.result[item.line]["outcome"]),
        )
        for item in session.items
    )
    nominee = {item.proposal_id: item.nominee for item in session.items}
    return SessionRecord(
        held_on=session.held_on,
        place=session.place,
        chair=name(chair),
        secretary=name(session.secretary),
        members=len(session.members),
        present=tuple(by_kind[Attendance.PRESENT]),
        written=tuple(by_kind[Attendance.WRITTEN]),
        absent=tuple(
            name(m) for m in session.members if session.attendance.get(m, "absent") == "absent"
        ),
        recusals=tuple(
            f"{name(r.member)} – {nominee[r.proposal_id]}: {r.reason}" for r in session.recusals
        ),
        cast=len(vote.box or ()),
        lines=lines,
        key_fingerprint=vote.key().fingerprint,
        trustees=tuple(sorted(vote.trustees)),
    )


async def keep_records(runtime: Runtime, user: User, session_id: str) -> CouncilSession:
    """Render and store both records and record them in the session, once."""
    actor = _secretary(user)
    current = await run_in_threadpool(read_session, runtime, session_id)
    if current.records:
        return current
    record = await asyncio.to_thread(record_of, runtime, current)
    refs = await store_session_records(runtime, record)
    command = c.KeepRecords(
        actor=actor,
        key=f"records:{session_id}",
        records=[{"kind": r.kind, "sha256": r.sha256, "document_id": r.document_id} for r in refs],
    )
    return await asyncio.to_thread(
        apply_session, runtime.app, current.id, [command], NoSessionServices()
    )


class NoSessionServices:
    """What a step taken outside the workflow is given: keeping records needs nothing."""

    def election_key(self) -> dict[str, Any]:
        raise DomainError("this step opens no ballot box")

    def service_shares(self, session: CouncilSession) -> list[dict[str, Any]]:
        raise DomainError("this step counts nothing")
