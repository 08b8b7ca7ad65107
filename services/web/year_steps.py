"""What the cluster year's pages need around the use cases of services/application/cluster_year:
the steps' commands built from a form (as the API's routes build them), the current stage's
deadline from the year's workflow, and an evidence file kept in the document store. One small
adapter, so a change of the use cases' signatures is met here only."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from temporalio.service import RPCError

from domain.cluster_year import commands as c
from domain.cluster_year.criteria import template_to_json
from domain.kernel.errors import InvalidInput
from domain.rulebook.version import CriteriaTemplate
from services.application import cluster_year as years
from services.application import dossier
from services.application.cluster_year_sources import rulebook_version
from services.runtime import Runtime
from workflows.cluster_year import ClusterYearWorkflow
from workflows.cluster_year_messages import year_workflow_id

log = logging.getLogger(__name__)


def criteria_templates(runtime: Runtime) -> tuple[CriteriaTemplate, ...]:
    """The templates of the rulebook version in force today, the head's starting points."""
    return rulebook_version(runtime).criteria_templates


def pledge() -> years.Build:
    now = datetime.now(UTC)
    return lambda a, u, k: c.SignPledge(actor=a, key=k, unit=u, at=now)


def criteria(runtime: Runtime, template: str, reason: str) -> years.Build:
    chosen = [t for t in criteria_templates(runtime) if t.code == template]
    if not chosen:
        raise InvalidInput("no criteria template {code}", code=template)
    data = template_to_json(chosen[0])
    return lambda a, u, k: c.SetCriteria(actor=a, key=k, unit=u, criteria=data, reason=reason)


def open_scoring() -> years.Build:
    return lambda a, u, k: c.OpenScoring(actor=a, key=k, unit=u)


def self_score(criterion: str, points: int, evidence: list[dict[str, str]]) -> years.Build:
    return lambda a, u, k: c.SelfScore(
        actor=a, key=k, unit=u, criterion=criterion, points=points, evidence=evidence
    )


@dataclass(frozen=True)
class Adjustment:
    member: str
    criterion: str
    points: int
    reason: str


def adjust(given: Adjustment) -> years.Build:
    return lambda a, u, k: c.Adjust(
        actor=a,
        key=k,
        unit=u,
        member=given.member,
        criterion=given.criterion,
        points=given.points,
        reason=given.reason,
    )


def contest(criterion: str, reason: str) -> years.Build:
    return lambda a, u, k: c.Contest(actor=a, key=k, unit=u, criterion=criterion, reason=reason)


def settle(member: str, criterion: str, outcome: str, reason: str) -> years.Build:
    return lambda a, u, k: c.Settle(
        actor=a, key=k, unit=u, member=member, criterion=criterion, outcome=outcome, reason=reason
    )


def mid_year(reason: str) -> years.Build:
    return lambda a, u, k: c.MidYear(actor=a, key=k, unit=u, reason=reason)


def candidates(flag: str | None, certificates: list[str], reason: str) -> years.Build:
    return lambda a, u, k: c.ProposeCandidates(
        actor=a, key=k, unit=u, flag=flag, certificates=certificates, reason=reason
    )


async def deadline(runtime: Runtime, year: int, cluster: str) -> datetime | None:
    """The deadline of the stage the year is in, as its workflow timed it (None when the
    stage has none, or the workflow does not answer: the page still shows the year)."""
    handle = runtime.process.client.get_workflow_handle(year_workflow_id(cluster, year))
    try:
        view = await asyncio.wait_for(handle.query(ClusterYearWorkflow.view), timeout=5)
    except (RPCError, TimeoutError) as error:
        log.info("no deadline for %s %s: %s", cluster, year, type(error).__name__)
        return None
    return datetime.fromisoformat(view.deadline) if view.deadline else None


async def store_evidence(
    runtime: Runtime, filename: str, declared_type: str, content: bytes
) -> dict[str, str]:
    """An evidence file kept in the document store, checked as a dossier's document is."""
    limit = runtime.settings.document_max_bytes
    if len(content) > limit:
        raise InvalidInput("a document may hold at most {limit} bytes", limit=limit)
    if not content:
        raise InvalidInput("the document is empty")
    try:
        media_type = dossier.media_type_of(declared_type)
    except dossier.UnsupportedMediaType as refused:
        raise InvalidInput(
            "{media_type} is not accepted; send PDF, Word, ODT, Excel, JPEG, PNG or plain text",
            media_type=refused.media_type or "?",
        ) from None
    sha256 = await asyncio.to_thread(runtime.documents.put, content, media_type)
    return {"document_id": filename, "sha256": sha256}
