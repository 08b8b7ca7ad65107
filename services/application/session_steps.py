"""The council session's commands applied to the stored aggregates: one handler per command;
a step that touches proposals (the agenda, an adjournment) saves them with the session in one
transaction, so a proposal is on one open session's agenda at a time; a step whose key the
session holds is applied only once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain.kernel.errors import DomainError
from domain.proposal.aggregate import Proposal
from domain.rulebook.version import SessionRules
from domain.session import commands as c
from domain.session.aggregate import CouncilSession
from domain.session.rules import AgendaItem

_CONFLICT_RETRIES = 5


class SessionServices(Protocol):
    """What some steps need beyond the session: the service's election key and its shares."""

    def election_key(self) -> dict[str, Any]: ...

    def service_shares(self, session: CouncilSession) -> list[dict[str, Any]]: ...


class SessionNotFound(LookupError):
    """No council session with that id."""


Changed = list[Any]  # the other aggregates a step changed (proposals), saved with the session
Handler = Callable[[Application[UUID], CouncilSession, Any, SessionServices], Changed]


def load_session(app: Application[UUID], session_id: UUID) -> CouncilSession:
    try:
        session: CouncilSession = app.repository.get(session_id)
    except AggregateNotFoundError:
        raise SessionNotFound(str(session_id)) from None
    if not isinstance(session, CouncilSession):
        raise SessionNotFound(str(session_id))
    return session


def _proposal(app: Application[UUID], proposal_id: str) -> Proposal:
    try:
        proposal: Proposal = app.repository.get(UUID(proposal_id))
    except (AggregateNotFoundError, ValueError):
        raise DomainError("proposal {id} is not on this session's agenda", id=proposal_id) from None
    return proposal


def _rules(cmd: c.Open | c.OpenVoting) -> SessionRules:
    return SessionRules(cmd.quorum, cmd.recused_count_toward_quorum)


def _add(app: Application[UUID], s: CouncilSession, cmd: c.AddItem, _: SessionServices) -> Changed:
    item = AgendaItem.from_json(cmd.item)
    s.add_item(item, cmd.actor, cmd.key)
    proposal = _proposal(app, item.proposal_id)
    proposal.put_on_agenda(str(s.id), cmd.actor, f"{cmd.key}:agenda")
    return [proposal]


def _remove(
    app: Application[UUID], s: CouncilSession, cmd: c.RemoveItem, _: SessionServices
) -> Changed:
    s.remove_item(cmd.proposal_id, cmd.reason, cmd.actor, cmd.key)
    proposal = _proposal(app, cmd.proposal_id)
    proposal.take_off_agenda(str(s.id), cmd.reason, cmd.actor, f"{cmd.key}:agenda")
    return [proposal]


def _adjourn(
    app: Application[UUID], s: CouncilSession, cmd: c.Adjourn, _: SessionServices
) -> Changed:
    s.adjourn(cmd.reason, cmd.actor, cmd.key)
    proposals = [_proposal(app, item.proposal_id) for item in s.items]
    for proposal in proposals:
        if proposal.agenda_session == str(s.id):
            proposal.take_off_agenda(str(s.id), cmd.reason, cmd.actor, f"{cmd.key}:agenda")
    return proposals


def _open(app: Application[UUID], s: CouncilSession, cmd: c.Open, sv: SessionServices) -> Changed:
    s.open(_rules(cmd), cmd.election_key or sv.election_key(), cmd.actor, cmd.key)
    return []


def _seal(app: Application[UUID], s: CouncilSession, cmd: c.Seal, sv: SessionServices) -> Changed:
    s.seal_box(cmd.box, cmd.reason, cmd.closed_at, cmd.actor, cmd.key)
    for share in sv.service_shares(s):
        s.submit_share(share, cmd.actor, f"{cmd.key}:share:{share['trustee']}")
    if s.countable:
        s.count(cmd.actor, f"{cmd.key}:count")
    return []


def _share(
    app: Application[UUID], s: CouncilSession, cmd: c.GiveShare, _: SessionServices
) -> Changed:
    s.submit_share(cmd.share, cmd.actor, cmd.key)
    if s.countable:
        s.count(cmd.actor, f"{cmd.key}:count")
    return []


def _plain(act: Callable[[CouncilSession, Any], object]) -> Handler:
    def handle(app: Application[UUID], s: CouncilSession, cmd: Any, _: SessionServices) -> Changed:
        act(s, cmd)
        return []

    return handle


HANDLERS: dict[type[Any], Handler] = {
    c.AddItem: _add,
    c.RemoveItem: _remove,
    c.Reorder: _plain(lambda s, m: s.reorder(m.order, m.actor, m.key)),
    c.RecordAttendance: _plain(
        lambda s, m: s.record_attendance(m.member, m.attendance, m.actor, m.key)
    ),
    c.Recuse: _plain(lambda s, m: s.recuse(m.member, m.proposal_id, m.reason, m.actor, m.key)),
    c.Open: _open,
    c.OpenVoting: _plain(lambda s, m: s.open_voting(_rules(m), m.actor, m.key)),
    c.RecordBallot: _plain(lambda s, m: s.record_ballot(m.voter, m.actor, m.key)),
    c.SealPart: _plain(lambda s, m: s.receive_box_part(m.box, m.actor, m.key)),
    c.Seal: _seal,
    c.GiveShare: _share,
    c.Adjourn: _adjourn,
    c.KeepRecords: _plain(lambda s, m: s.keep_records(m.records, m.actor, m.key)),
}


def apply_session(
    app: Application[UUID],
    session_id: UUID,
    commands: Sequence[c.Convene | c.SessionCommand],
    services: SessionServices,
) -> CouncilSession:
    """Apply one step's commands and save their events in one transaction (retried on a
    concurrent writer); a step whose first key the session already holds is not applied."""
    first = commands[0]
    if isinstance(first, c.Convene):
        return _convene(app, session_id, first)
    for _ in range(_CONFLICT_RETRIES):
        session = load_session(app, session_id)
        if session.has_step(first.key):
            return session
        changed: Changed = []
        for command in commands:
            assert not isinstance(command, c.Convene)
            changed += HANDLERS[type(command)](app, session, command, services)
        try:
            app.save(session, *changed)
        except IntegrityError:
            continue
        return session
    raise DomainError("session {id} is changing too fast; try again", id=str(session_id))


def _convene(app: Application[UUID], session_id: UUID, cmd: c.Convene) -> CouncilSession:
    try:
        return load_session(app, session_id)  # convened already: nothing appended
    except SessionNotFound:
        pass
    session = CouncilSession.convene(
        id=session_id,
        year=cmd.year,
        held_on=date.fromisoformat(cmd.held_on),
        place=cmd.place,
        members=cmd.members,
        secretary=cmd.secretary,
        actor=cmd.actor,
        key=cmd.key,
    )
    try:
        app.save(session)
    except IntegrityError:
        return load_session(app, session_id)
    return session
