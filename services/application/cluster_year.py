"""The cluster's year as use cases: launch, each person's step sent to the year's workflow,
the conference ballot sealed here from plain choices, the result's nominations, and reads."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from starlette.concurrency import run_in_threadpool
from temporalio.client import WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError

from domain.cluster_year import commands as c
from domain.cluster_year.aggregate import ClusterYear, cluster_year_id
from domain.cluster_year.stages import Stage
from domain.kernel.actor import Actor, Role
from domain.kernel.calendar import VIETNAM
from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from services.application import cluster_year_sources as sources
from services.application.cluster_year_records import NoServices, keep_records, year_records
from services.application.cluster_year_steps import YearNotFound, apply_year, load_year
from services.application.directory import User
from services.application.list_voting import ListBallotInput, cast_list
from services.application.process import ProcessClosed, StepRefused, _refusal, step_update_id
from services.runtime import Runtime
from workflows.cluster_year import ClusterYearWorkflow
from workflows.cluster_year_messages import (
    CloseRequest,
    LaunchRequest,
    YearBallot,
    YearCarry,
    YearInput,
    YearRequest,
    YearResult,
    year_workflow_id,
)

__all__ = ["ProcessClosed", "StepRefused", "YearNotFound"]


class NotYourStep(Exception):
    """The caller's unit or role may not take this step in this cluster year."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render())


@dataclass(frozen=True)
class YearTaken:
    stage: str
    message: str
    tracker: str | None = None
    receipt: str | None = None


def read_year(runtime: Runtime, year: int, cluster: str) -> ClusterYear:
    return load_year(runtime.app, cluster_year_id(cluster, year))


def year_leaders(runtime: Runtime, year: int) -> dict[str, str]:
    """Group id -> leading unit id, for every cluster or block whose year-end ranking is final
    (the contract for the eligibility rules)."""
    leaders = {}
    for cluster in runtime.directory.clusters(year=year):
        try:
            leader = read_year(runtime, year, cluster.id).leader()
        except YearNotFound:
            continue
        if leader is not None:
            leaders[cluster.id] = leader
    return leaders


def _actor(user: User) -> Actor:
    role = Role.COUNCIL_SECRETARY if user.has(Role.COUNCIL_SECRETARY) else Role.CLUSTER_MEMBER
    return Actor(user.username, role)


def _unit_of(user: User, members: tuple[str, ...]) -> str:
    """The member unit the caller acts for: a cluster member of one of the year's units."""
    if not user.has(Role.CLUSTER_MEMBER) or user.unit_id not in members:
        raise NotYourStep(Message("only the member units of this cluster year take this step"))
    return user.unit_id


async def launch(
    runtime: Runtime,
    user: User,
    year: int,
    cluster: str,
    plan: dict[str, str],
    head: str | None,
    deputy: str | None,
    key: str | None,
) -> YearTaken:
    """The council secretary (or the cluster's head) launches the year with its plan."""
    facts = await run_in_threadpool(sources.group_facts, runtime, year, cluster)
    if facts is None:
        raise YearNotFound(cluster)
    head, deputy = facts.head or head, facts.deputy or deputy
    if head is None or deputy is None:
        raise DomainError("the organisation year names no head and deputy: give them")
    if not user.has(Role.COUNCIL_SECRETARY) and user.unit_id != head:
        raise NotYourStep(Message("the council secretary or the cluster's head launches its year"))
    version = sources.rulebook_version(runtime, day=datetime.now(VIETNAM).date())
    year_id = cluster_year_id(cluster, year)
    deadlines = {step.value: deadline for step, deadline in version.deadlines_year.items()}
    carry = YearCarry(YearInput(str(year_id), cluster, year, deadlines))
    await runtime.process.client.start_workflow(
        ClusterYearWorkflow.run,
        carry,
        id=year_workflow_id(cluster, year),
        task_queue=runtime.settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    command = c.Launch(
        actor=_actor(user),
        key=key or f"launch:{cluster}:{year}",
        group_id=cluster,
        year=year,
        scope=facts.scope,
        members=list(facts.members),
        head=head,
        deputy=deputy,
        rulebook_version=version.code,
        plan=plan,
    )
    if key is None:  # launching twice is harmless: the year answers as it stands
        try:
            existing = await run_in_threadpool(read_year, runtime, year, cluster)
            return YearTaken(existing.stage, "launched already")
        except YearNotFound:
            pass
    result = await _update(
        runtime, year, cluster, ClusterYearWorkflow.launch, LaunchRequest(command), user, key
    )
    return YearTaken(result.stage, "launched")


async def _update(
    runtime: Runtime,
    year: int,
    cluster: str,
    method: Any,
    request: Any,
    user: User,
    key: str | None,
) -> YearResult:
    handle = runtime.process.client.get_workflow_handle(year_workflow_id(cluster, year))
    update_id = step_update_id(method.__name__, user.username, key) if key else None
    try:
        result: YearResult = await handle.execute_update(method, request, id=update_id)
    except WorkflowUpdateFailedError as error:
        raise _refusal(error.cause) from None
    except RPCError as error:
        raise ProcessClosed(str(error)) from error
    return result


Build = Callable[[Actor, str, str], c.YearCommand]


async def take_step(
    runtime: Runtime, user: User, year: int, cluster: str, build: Build, key: str | None
) -> YearTaken:
    """A member's step (the unit is the caller's): the domain decides whether that unit may."""
    current = await run_in_threadpool(read_year, runtime, year, cluster)
    unit = _unit_of(user, current.members)
    step_key = key or f"{user.username}:{datetime.now(VIETNAM).isoformat()}"
    command = build(_actor(user), unit, step_key)
    result = await _update(
        runtime, year, cluster, ClusterYearWorkflow.step, YearRequest(command), user, key
    )
    return YearTaken(result.stage, result.message)


def year_end_command(
    runtime: Runtime, year: int, cluster: str, chair_order: list[str], reason: str
) -> Build:
    facts = sources.group_facts(runtime, year, cluster)
    women = facts.women_share if facts else {}
    return lambda actor, unit, key: c.YearEnd(
        actor=actor,
        key=key,
        unit=unit,
        women_share=women,
        chair_order=chair_order,
        reason=reason,
    )


def elect_command(
    runtime: Runtime, current: ClusterYear, head: str, deputy: str, reason: str
) -> Build:
    recent = sources.recent_heads(runtime, current.year, current.group_id, current.head)
    return lambda actor, unit, key: c.Elect(
        actor=actor,
        key=key,
        unit=unit,
        head=head,
        deputy=deputy,
        recent_heads=recent,
        reason=reason,
    )


async def cast_ballot(
    runtime: Runtime,
    user: User,
    year: int,
    cluster: str,
    choices: dict[str, str],
    key: str | None,
) -> YearTaken:
    """Seal a member unit's plain choices per line here (the choices live only in this
    request's memory), issue the voter's receipt and send the list ballot to the workflow."""
    current = await run_in_threadpool(read_year, runtime, year, cluster)
    unit = _unit_of(user, current.members)
    if current.stage != Stage.VOTING:
        raise DomainError("the conference's ballot box is not open")
    cast = await asyncio.to_thread(
        cast_list,
        runtime.secret,
        current.box_of_votes(),
        user.username,
        unit,
        ListBallotInput(choices=choices),
        key,
    )
    request = YearBallot(user.username, Role.CLUSTER_MEMBER, unit, cast.ballot, cast.receipt_hash)
    result = await _update(runtime, year, cluster, ClusterYearWorkflow.cast, request, user, key)
    return YearTaken(result.stage, result.message, result.tracker, cast.receipt)


def check_head_or_secretary(user: User, current: ClusterYear) -> None:
    if not user.has(Role.COUNCIL_SECRETARY) and _unit_of(user, current.members) != current.head:
        raise NotYourStep(Message("the head or the council secretary takes this step"))


async def close_conference(
    runtime: Runtime, user: User, year: int, cluster: str, reason: str, key: str | None
) -> YearTaken:
    current = await run_in_threadpool(read_year, runtime, year, cluster)
    check_head_or_secretary(user, current)
    request = CloseRequest(user.username, _actor(user).role, reason)
    result = await _update(runtime, year, cluster, ClusterYearWorkflow.close, request, user, key)
    return YearTaken(result.stage, result.message)


async def conclude(runtime: Runtime, user: User, year: int, cluster: str, place: str) -> list[UUID]:
    """Once the year is closed: its minutes and ballot count kept and recorded, then each
    carried line (Flag, Certificates, Government Flag) a proposal carrying both records, or
    the eligibility rules' refusal recorded on the year. Every part is done once, so calling
    this again (after a failure half-way) finishes what is missing."""
    current = await run_in_threadpool(read_year, runtime, year, cluster)
    if current.stage != Stage.CLOSED:
        raise DomainError("the conference's records follow the count and the election")
    current = await keep_records(runtime, current, place, user.full_name, _actor(user))
    records = year_records(current)
    for line in current.passed_lines():
        if line.id in current.nominations:
            continue
        recorded = await sources.nominate_line(runtime, current, line, records)
        current = await asyncio.to_thread(
            apply_year, runtime.app, current.id, [recorded], NoServices()
        )
    return [UUID(made["proposal"]) for made in current.nominations.values() if made.get("proposal")]


async def elect(
    runtime: Runtime,
    user: User,
    year: int,
    cluster: str,
    head: str,
    deputy: str,
    reason: str,
    place: str,
    key: str | None,
) -> YearTaken:
    """The conference's election of next year's head and deputy, recorded in the year and in
    next year's organisation; then the conference's records and its proposals."""
    current = await run_in_threadpool(read_year, runtime, year, cluster)
    build = await run_in_threadpool(elect_command, runtime, current, head, deputy, reason)
    taken = await take_step(runtime, user, year, cluster, build, key)
    await run_in_threadpool(
        sources.record_election,
        runtime,
        year + 1,
        cluster,
        head,
        deputy,
        _actor(user),
        reason,
        f"election:{cluster}:{year}",
    )
    await conclude(runtime, user, year, cluster, place)
    return taken


async def take_share(
    runtime: Runtime, user: User, current: ClusterYear, share: dict[str, Any], key: str | None
) -> YearTaken:
    """A trustee's share of every line; the count follows once enough are given."""
    command = c.GiveShare(
        actor=Actor(user.username, _actor(user).role),
        key=key or f"share:{user.username}:{share.get('trustee')}",
        share=share,
    )
    result = await _update(
        runtime,
        current.year,
        current.group_id,
        ClusterYearWorkflow.step,
        YearRequest(command),
        user,
        key,
    )
    return YearTaken(result.stage, result.message)
