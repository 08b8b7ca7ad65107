"""The conference's records once its year is closed: the minutes (biên bản bình xét) and the
ballot count (biên bản kiểm phiếu), rendered by services/audit/conference_records.py from the
counted and elected year, kept in the document store and recorded in the year by sha256."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from domain.cluster_year import commands as c
from domain.cluster_year.aggregate import ClusterYear
from domain.cluster_year.conference import line_form
from domain.kernel.actor import Actor
from domain.kernel.calendar import VIETNAM
from domain.kernel.errors import DomainError
from domain.proposal.forms import find_form
from domain.rulebook.version import ConferenceRules
from domain.voting.ballot import BallotRule, Comparison, Outcome
from services.application import cluster_year_sources as sources
from services.application.cluster_year_steps import apply_year
from services.application.records import RecordRef
from services.audit.conference_records import (
    BallotCount,
    ConferenceMinutes,
    LineResult,
    store_conference_records,
)
from services.runtime import Runtime


class NoServices:
    """What a step taken outside the workflow is given: keeping the records needs nothing."""

    def conference_rules(self, rulebook_version: str) -> ConferenceRules:
        raise DomainError("this step takes no conference rules")

    def election_key(self) -> dict[str, Any]:
        raise DomainError("this step opens no ballot box")

    def service_shares(self, year: ClusterYear) -> list[dict[str, Any]]:
        raise DomainError("this step counts nothing")


def rule_words(rule: BallotRule) -> str:
    """The ballot rule as the count states it."""
    than = "trên" if rule.comparison == Comparison.MORE_THAN else "từ"
    return (
        f"có mặt từ {rule.quorum} số đơn vị thành viên; số phiếu đồng ý {than} {rule.threshold}"
        " số đơn vị có quyền bỏ phiếu trên dòng đó"
    )


def _unit_name(runtime: Runtime, unit_id: str, year: int) -> str:
    unit = runtime.directory.unit(unit_id, year=year)
    return unit.name if unit else unit_id


def _cluster_name(runtime: Runtime, group_id: str, year: int) -> str:
    named = [g.name for g in runtime.directory.clusters(year=year) if g.id == group_id]
    return named[0] if named else group_id


def held_on(current: ClusterYear) -> date:
    """The conference's day: when its ballot box was sealed, in Vietnam."""
    sealing = current.box_of_votes().sealing
    closed = sealing.closed_at if sealing else datetime.now(VIETNAM)
    return closed.astimezone(VIETNAM).date()


def record_inputs(
    runtime: Runtime, current: ClusterYear, place: str, secretary: str
) -> tuple[ConferenceMinutes, BallotCount]:
    """The typed inputs of both records, every unit by the name officials use."""
    if current.result is None or current.elected is None:
        raise DomainError("the conference's records follow the count and the election")
    rules = sources.rulebook_version(runtime, current.rulebook_version).conference
    vote = current.box_of_votes()
    name = {u: _unit_name(runtime, u, current.year) for u in current.members}
    lines = tuple(
        LineResult(
            line_id=line.id,
            candidate=name.get(line.unit, line.unit),
            form=find_form(line_form(line, rules)).name_vi,
            electorate=len(vote.line_electorate(line.id)),
            tally=current.tally(line.id),
            outcome=Outcome(current.result[line.id]["outcome"]),
        )
        for line in current.lines
    )
    cluster, day, chair = (
        _cluster_name(runtime, current.group_id, current.year),
        held_on(current),
        name[current.head],
    )
    minutes = ConferenceMinutes(
        cluster_name=cluster,
        year=current.year,
        place=place or name[current.head],
        held_on=day,
        chair=chair,
        secretary=secretary,
        members_present=tuple(name[u] for u in current.members if u in vote.voted),
        candidates=tuple(f"{line.candidate} – {line.form}" for line in lines),
        lines=lines,
        elected_head=name[current.elected["head"]],
        elected_deputy=name[current.elected["deputy"]],
    )
    count = BallotCount(
        cluster_name=cluster,
        year=current.year,
        place=minutes.place,
        held_on=day,
        counting_board=(chair, secretary),
        members=len(vote.electorate),
        cast=len(vote.box or ()),
        lines=lines,
        rule=rule_words(rules.ballot),
        key_fingerprint=vote.key().fingerprint,
        trustees=tuple(sorted(vote.trustees)),
    )
    return minutes, count


def year_records(current: ClusterYear) -> tuple[RecordRef, ...]:
    return tuple(RecordRef(**record) for record in current.records)


async def keep_records(
    runtime: Runtime, current: ClusterYear, place: str, secretary: str, actor: Actor
) -> ClusterYear:
    """Render and store both records and record them in the year, once: a closed year that
    holds its records already is answered as it stands."""
    if current.records:
        return current
    minutes, count = await asyncio.to_thread(record_inputs, runtime, current, place, secretary)
    refs = await store_conference_records(runtime, minutes, count)
    command = c.RecordConference(
        actor=actor,
        key=f"records:{current.group_id}:{current.year}",
        records=[asdict(ref) for ref in refs],
    )
    return await asyncio.to_thread(apply_year, runtime.app, current.id, [command], NoServices())
