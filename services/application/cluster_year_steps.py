"""The cluster year's commands applied to the stored aggregate: one handler per command, all
the writes of one step saved together, a step whose key the year holds applied only once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain.cluster_year import commands as c
from domain.cluster_year.aggregate import ClusterYear
from domain.kernel.errors import DomainError
from domain.rulebook.version import ConferenceRules

_CONFLICT_RETRIES = 5


class YearServices(Protocol):
    """What some steps need beyond the year: its conference rules and the service's keys."""

    def conference_rules(self, rulebook_version: str) -> ConferenceRules: ...

    def election_key(self) -> dict[str, Any]: ...

    def service_shares(self, year: ClusterYear) -> list[dict[str, Any]]: ...


class YearNotFound(LookupError):
    """No cluster year for that group and year (not launched)."""


Handler = Callable[[ClusterYear, Any, YearServices], None]


def _count_if_complete(y: ClusterYear, actor: Any, key: str, s: YearServices) -> None:
    vote = y.box_of_votes()
    if vote.is_sealed and not vote.is_counted and not vote.shares_missing:
        y.count(s.conference_rules(y.rulebook_version), actor, f"{key}:count")


def _close(y: ClusterYear, cmd: c.CloseConference, s: YearServices) -> None:
    y.seal_box(cmd.box, cmd.reason, cmd.closed_at, cmd.actor, cmd.key)
    for share in s.service_shares(y):
        y.submit_share(share, cmd.actor, f"{cmd.key}:share:{share['trustee']}")
    _count_if_complete(y, cmd.actor, cmd.key, s)


def _give_share(y: ClusterYear, cmd: c.GiveShare, s: YearServices) -> None:
    y.submit_share(cmd.share, cmd.actor, cmd.key)
    _count_if_complete(y, cmd.actor, cmd.key, s)


def _rules(y: ClusterYear, s: YearServices) -> ConferenceRules:
    return s.conference_rules(y.rulebook_version)


HANDLERS: dict[type[Any], Handler] = {
    c.SignPledge: lambda y, m, s: y.sign_pledge(m.unit, m.at, m.actor, m.key),
    c.SetCriteria: lambda y, m, s: y.set_criteria(m.unit, m.criteria, m.reason, m.actor, m.key),
    c.OpenScoring: lambda y, m, s: y.open_scoring(m.unit, m.actor, m.key),
    c.SelfScore: lambda y, m, s: y.self_score(
        m.unit, m.criterion, m.points, m.evidence, m.actor, m.key
    ),
    c.Adjust: lambda y, m, s: y.adjust(
        m.unit, m.member, m.criterion, m.points, m.reason, m.actor, m.key
    ),
    c.Contest: lambda y, m, s: y.contest(m.unit, m.criterion, m.reason, m.actor, m.key),
    c.Settle: lambda y, m, s: y.settle(
        m.unit, m.member, m.criterion, m.outcome, m.reason, m.actor, m.key
    ),
    c.MidYear: lambda y, m, s: y.review_mid_year(m.unit, m.reason, m.actor, m.key),
    c.YearEnd: lambda y, m, s: y.rank_year_end(
        m.unit, m.women_share, m.chair_order, _rules(y, s), m.reason, m.actor, m.key
    ),
    c.ProposeCandidates: lambda y, m, s: y.propose_candidates(
        m.unit,
        m.flag,
        m.certificates,
        _rules(y, s),
        m.election_key or s.election_key(),
        m.reason,
        m.actor,
        m.key,
        government_flag=m.government_flag,
    ),
    c.RecordBallot: lambda y, m, s: y.record_ballot(m.voter, m.actor, m.key),
    c.CloseConference: _close,
    c.GiveShare: _give_share,
    c.Elect: lambda y, m, s: y.elect(
        m.unit, m.head, m.deputy, m.recent_heads, _rules(y, s), m.reason, m.actor, m.key
    ),
    c.RecordConference: lambda y, m, s: y.record_conference(m.records, m.actor, m.key),
    c.RecordNomination: lambda y, m, s: y.record_nomination(
        m.line, m.proposal, m.refusals, m.actor, m.key
    ),
    c.Remind: lambda y, m, s: y.remind(m.step, m.deadline, m.actor, m.key),
    c.Escalate: lambda y, m, s: y.escalate(m.step, m.deadline, m.actor, m.key),
}


def load_year(app: Application[UUID], year_id: UUID) -> ClusterYear:
    try:
        year: ClusterYear = app.repository.get(year_id)
    except AggregateNotFoundError:
        raise YearNotFound(str(year_id)) from None
    if not isinstance(year, ClusterYear):
        raise YearNotFound(str(year_id))
    return year


def apply_year(
    app: Application[UUID],
    year_id: UUID,
    commands: Sequence[c.Launch | c.YearCommand],
    services: YearServices,
) -> ClusterYear:
    """Apply one step's commands and save their events in one transaction (retried on a
    concurrent writer); a step whose first key the year already holds is not applied again."""
    first = commands[0]
    if isinstance(first, c.Launch):
        return _launch(app, year_id, first)
    for _ in range(_CONFLICT_RETRIES):
        year = load_year(app, year_id)
        if year.has_step(first.key):
            return year
        for command in commands:
            assert not isinstance(command, c.Launch)
            HANDLERS[type(command)](year, command, services)
        try:
            app.save(year)
        except IntegrityError:
            continue
        return year
    raise DomainError("cluster year {id} is changing too fast; try again", id=str(year_id))


def _launch(app: Application[UUID], year_id: UUID, cmd: c.Launch) -> ClusterYear:
    try:
        return load_year(app, year_id)  # launched already: the same year, nothing appended
    except YearNotFound:
        pass
    year = ClusterYear.launch(
        group_id=cmd.group_id,
        year=cmd.year,
        scope=cmd.scope,
        members=cmd.members,
        head=cmd.head,
        deputy=cmd.deputy,
        rulebook_version=cmd.rulebook_version,
        plan=cmd.plan,
        actor=cmd.actor,
        key=cmd.key,
    )
    if year.id != year_id:
        raise DomainError("the launch names another cluster year")
    try:
        app.save(year)
    except IntegrityError:
        return load_year(app, year_id)
    return year
