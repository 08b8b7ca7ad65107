"""The CouncilSession aggregate: one session of the council, from its agenda to its count.

Every event carries who (``actor_id``), the role, the step's idempotency ``key`` and, where a
person decides, a ``reason``. Ballots never reach the aggregate one by one: it records who
voted, and at closing the box of sealed list ballots sorted by receipt, so no stored event
links a member to a choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError, InvalidInput
from domain.rulebook.version import SessionRules
from domain.session import rules
from domain.session.rules import AgendaItem, Attendance, Recusal
from domain.session.stages import Action, Stage, check_step
from domain.voting.ballot import Outcome, Tally
from domain.voting.list_box import ListBox
from domain.voting.vote import Sealing

RECORD_KINDS = ("ballot_count", "session_minutes")


def _by(actor: Actor, key: str) -> dict[str, str]:
    return {"actor_id": actor.id, "actor_role": actor.role, "key": key}


class CouncilSession(Aggregate):
    class Convened(Aggregate.Created):
        year: int
        held_on: str  # ISO date
        place: str
        members: list[str]
        secretary: str
        actor_id: str
        actor_role: str
        key: str

    @event(Convened)
    def __init__(
        self, *, year: int, held_on: str, place: str, members: list[str], secretary: str, key: str
    ) -> None:
        self.year, self.held_on, self.place = year, date.fromisoformat(held_on), place
        self.members, self.secretary = tuple(members), secretary
        self.stage = Stage.PLANNED.value
        self.items: list[AgendaItem] = []
        self.attendance: dict[str, str] = {}
        self.recusals: list[Recusal] = []
        self.quorum_checks: list[dict[str, Any]] = []  # each check: step, present, needed, met
        self.vote: ListBox | None = None
        self.box_parts: list[dict[str, Any]] = []  # parts of the box before it is sealed
        self.result: dict[str, dict[str, Any]] | None = None  # line -> {tally, outcome, base}
        self.records: list[dict[str, str]] = []
        self.closing_reason: str | None = None
        self.step_keys: list[str] = [key]

    @classmethod
    def convene(
        cls,
        *,
        id: UUID,
        year: int,
        held_on: date,
        place: str,
        members: Sequence[str],
        secretary: str,
        actor: Actor,
        key: str,
    ) -> CouncilSession:
        """The standing member convenes a session of the year's council for a day and place."""
        if not 2000 <= year <= 2100:
            raise InvalidInput("emulation year {year} is out of range", year=year)
        if not place.strip():
            raise InvalidInput("a session names its place")
        if len(members) < 3 or len(set(members)) != len(members):
            raise DomainError("a council session needs at least three distinct members")
        if secretary not in members:
            raise DomainError("the standing member convening the session is a council member")
        return cls._create(
            cls.Convened,
            id=id,
            year=year,
            held_on=held_on.isoformat(),
            place=place.strip(),
            members=list(members),
            secretary=secretary,
            **_by(actor, key),
        )

    # ---- reading ------------------------------------------------------------------------

    def has_step(self, key: str) -> bool:
        return key in self.step_keys

    @property
    def vote_id(self) -> str:
        return f"session-{self.id}"

    def box_of_votes(self) -> ListBox:
        if self.vote is None:
            raise DomainError("the session's ballot box has not been opened")
        return self.vote

    def item(self, proposal_id: str) -> AgendaItem:
        for item in self.items:
            if item.proposal_id == proposal_id:
                return item
        raise DomainError("proposal {id} is not on this session's agenda", id=proposal_id)

    @property
    def line_ids(self) -> list[str]:
        return [item.line for item in self.items]

    def outcome(self, proposal_id: str) -> Outcome | None:
        return None if self.result is None else Outcome(self.result[proposal_id]["outcome"])

    def tally(self, proposal_id: str) -> Tally:
        assert self.result is not None
        return Tally(**self.result[proposal_id]["tally"])

    def _check(self, action: Action) -> None:
        check_step(self.stage, action)

    def _remember(self, key: str) -> None:
        self.step_keys.append(key)

    def _check_member(self, member: str) -> None:
        if member not in self.members:
            raise DomainError("{member} is not a member of this session's council", member=member)

    # ---- the agenda -----------------------------------------------------------------------

    class ItemAdded(Aggregate.Event):
        item: dict[str, Any]
        actor_id: str
        actor_role: str
        key: str

    def add_item(self, item: AgendaItem, actor: Actor, key: str) -> None:
        """An appraised proposal joins the agenda (the proposal records it on its side)."""
        self._check(Action.EDIT_AGENDA)
        rules.check_agenda_add(self.items, item)
        self.trigger_event(self.ItemAdded, item=item.to_json(), **_by(actor, key))

    @event(ItemAdded)
    def _item_added(self, item: dict[str, Any], key: str) -> None:
        self.items = [*self.items, AgendaItem.from_json(item)]
        self._remember(key)

    class ItemRemoved(Aggregate.Event):
        proposal_id: str
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def remove_item(self, proposal_id: str, reason: str, actor: Actor, key: str) -> None:
        self._check(Action.EDIT_AGENDA)
        self.item(proposal_id)
        self.trigger_event(
            self.ItemRemoved, proposal_id=proposal_id, reason=reason.strip(), **_by(actor, key)
        )

    @event(ItemRemoved)
    def _item_removed(self, proposal_id: str, key: str) -> None:
        self.items = [item for item in self.items if item.proposal_id != proposal_id]
        self.recusals = [r for r in self.recusals if r.proposal_id != proposal_id]
        self._remember(key)

    class AgendaReordered(Aggregate.Event):
        order: list[str]
        actor_id: str
        actor_role: str
        key: str

    def reorder(self, order: Sequence[str], actor: Actor, key: str) -> None:
        self._check(Action.EDIT_AGENDA)
        rules.reordered(self.items, order)
        self.trigger_event(self.AgendaReordered, order=list(order), **_by(actor, key))

    @event(AgendaReordered)
    def _reordered(self, order: list[str], key: str) -> None:
        self.items = rules.reordered(self.items, order)
        self._remember(key)

    # ---- attendance and recusal -------------------------------------------------------

    def _voted(self, member: str) -> None:
        if self.vote is not None and member in self.vote.voted:
            raise DomainError("{member} has voted already: the record stands", member=member)

    def _rebuilt(self, attendance: dict[str, str], recusals: list[Recusal]) -> ListBox | None:
        """The open box with a changed attendance or recusal, the ballots already in kept."""
        if self.vote is None:
            return None
        box = rules.open_box(
            self.vote.vote_id,
            self.members,
            attendance,
            recusals,
            self.items,
            self.vote.election_key,
        )
        return replace(box, voted=self.vote.voted)

    class AttendanceRecorded(Aggregate.Event):
        member: str
        attendance: str
        actor_id: str
        actor_role: str
        key: str

    def record_attendance(self, member: str, attendance: str, actor: Actor, key: str) -> None:
        """Present, absent with a written vote, or absent: recorded by the secretary."""
        self._check(Action.RECORD_ATTENDANCE)
        kind = rules.check_attendance(self.members, member, attendance)
        self._voted(member)
        self._rebuilt({**self.attendance, member: kind.value}, self.recusals)  # refused here
        self.trigger_event(
            self.AttendanceRecorded, member=member, attendance=kind.value, **_by(actor, key)
        )

    @event(AttendanceRecorded)
    def _attendance(self, member: str, attendance: str, key: str) -> None:
        self.attendance = {**self.attendance, member: attendance}
        self.vote = self._rebuilt(self.attendance, self.recusals)
        self._remember(key)

    class RecusalRecorded(Aggregate.Event):
        member: str
        proposal_id: str
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def recuse(self, member: str, proposal_id: str, reason: str, actor: Actor, key: str) -> None:
        """A member tied to a nominee (its own unit, its own nomination, a relationship)
        declares it, or the secretary records it: its line for that nominee is left out."""
        self._check(Action.RECUSE)
        self._check_member(member)
        self.item(proposal_id)
        if not reason.strip():
            raise InvalidInput("a recusal gives its reason")
        if any(r.member == member and r.proposal_id == proposal_id for r in self.recusals):
            raise DomainError("{member} is recused from this nominee already", member=member)
        self._voted(member)
        recusal = Recusal(member, proposal_id, reason.strip(), actor.id)
        self._rebuilt(self.attendance, [*self.recusals, recusal])  # refused here
        self.trigger_event(
            self.RecusalRecorded,
            member=member,
            proposal_id=proposal_id,
            reason=reason.strip(),
            **_by(actor, key),
        )

    @event(RecusalRecorded)
    def _recused(self, member: str, proposal_id: str, reason: str, actor_id: str, key: str) -> None:
        self.recusals = [*self.recusals, Recusal(member, proposal_id, reason, actor_id)]
        self.vote = self._rebuilt(self.attendance, self.recusals)
        self._remember(key)

    # ---- opening, with the quorum -------------------------------------------------------

    class QuorumNotReached(Aggregate.Event):
        step: str
        present: int
        needed: int
        short_lines: list[str]
        actor_id: str
        actor_role: str
        key: str

    class Opened(Aggregate.Event):
        present: int
        needed: int
        election_key: dict[str, Any]
        actor_id: str
        actor_role: str
        key: str

    class VotingOpened(Aggregate.Event):
        present: int
        needed: int
        actor_id: str
        actor_role: str
        key: str

    def _quorum(self, session_rules: SessionRules) -> rules.Quorum:
        return rules.quorum(self.members, self.attendance, self.recusals, self.items, session_rules)

    def _short(self, step: str, count: rules.Quorum, actor: Actor, key: str) -> None:
        self.trigger_event(
            self.QuorumNotReached,
            step=step,
            present=count.present,
            needed=count.needed,
            short_lines=list(count.short_lines),
            **_by(actor, key),
        )

    def open(
        self, session_rules: SessionRules, election_key: dict[str, Any], actor: Actor, key: str
    ) -> bool:
        """Open with a quorum (the agenda is fixed, the box opens for written votes); below
        quorum the session stays planned and the shortfall is recorded. Answers whether it
        opened."""
        self._check(Action.OPEN)
        if not self.items:
            raise DomainError("a session opens with at least one proposal on its agenda")
        count = self._quorum(session_rules)
        if not count.met:
            self._short("open", count, actor, key)
            return False
        rules.open_box(
            self.vote_id, self.members, self.attendance, self.recusals, self.items, election_key
        )
        self.trigger_event(
            self.Opened,
            present=count.present,
            needed=count.needed,
            election_key=election_key,
            **_by(actor, key),
        )
        return True

    @event(QuorumNotReached)
    def _quorum_short(
        self, step: str, present: int, needed: int, short_lines: list[str], key: str
    ) -> None:
        check = {"step": step, "present": present, "needed": needed, "met": False}
        self.quorum_checks = [*self.quorum_checks, {**check, "short_lines": short_lines}]
        self._remember(key)

    @event(Opened)
    def _opened(self, present: int, needed: int, election_key: dict[str, Any], key: str) -> None:
        check = {"step": "open", "present": present, "needed": needed, "met": True}
        self.quorum_checks = [*self.quorum_checks, check]
        self.vote = rules.open_box(
            self.vote_id, self.members, self.attendance, self.recusals, self.items, election_key
        )
        self.stage = Stage.OPEN.value
        self._remember(key)

    def open_voting(self, session_rules: SessionRules, actor: Actor, key: str) -> bool:
        """The quorum checked again; below it the session cannot vote (recorded)."""
        self._check(Action.OPEN_VOTING)
        count = self._quorum(session_rules)
        if not count.met:
            self._short("voting", count, actor, key)
            return False
        self.trigger_event(
            self.VotingOpened, present=count.present, needed=count.needed, **_by(actor, key)
        )
        return True

    @event(VotingOpened)
    def _voting_opened(self, present: int, needed: int, key: str) -> None:
        check = {"step": "voting", "present": present, "needed": needed, "met": True}
        self.quorum_checks = [*self.quorum_checks, check]
        self.stage = Stage.VOTING.value
        self._remember(key)

    # ---- ballots, sealing, shares, count -------------------------------------------------

    def check_cast(self, voter: str) -> None:
        """A written vote while the session is open, a present member's ballot while voting."""
        written = self.attendance.get(voter) == Attendance.WRITTEN
        self._check(Action.WRITTEN_VOTE if written else Action.CAST)
        self.box_of_votes().check_cast(voter)

    class ListBallotRecorded(Aggregate.Event):
        voter: str
        written: bool
        actor_id: str
        actor_role: str
        key: str

    def record_ballot(self, voter: str, actor: Actor, key: str) -> None:
        """Record that a member voted; its choices never reach the aggregate."""
        self.check_cast(voter)
        written = self.attendance.get(voter) == Attendance.WRITTEN
        self.trigger_event(self.ListBallotRecorded, voter=voter, written=written, **_by(actor, key))

    @event(ListBallotRecorded)
    def _ballot_recorded(self, voter: str, key: str) -> None:
        self.vote = self.box_of_votes().with_ballot(voter)
        self._remember(key)

    class BoxPartReceived(Aggregate.Event):
        """Part of the box (sorted by receipt) before the last part seals it: a session's
        whole box is larger than one Temporal payload may be."""

        box: list[dict[str, Any]]
        actor_id: str
        actor_role: str
        key: str

    def receive_box_part(self, box: list[dict[str, Any]], actor: Actor, key: str) -> None:
        self._check(Action.CLOSE_VOTING)
        anonymous = [{"receipt": e["receipt"], "ballot": e["ballot"]} for e in box]
        self.trigger_event(self.BoxPartReceived, box=anonymous, **_by(actor, key))

    @event(BoxPartReceived)
    def _box_part(self, box: list[dict[str, Any]], key: str) -> None:
        self.box_parts = [*self.box_parts, *box]
        self._remember(key)

    class BoxSealed(Aggregate.Event):
        box: list[dict[str, Any]]
        reason: str
        closed_at: datetime
        actor_id: str
        actor_role: str
        key: str

    def seal_box(
        self, box: list[dict[str, Any]], reason: str, closed_at: datetime, actor: Actor, key: str
    ) -> None:
        """One list ballot per member who voted, each under its receipt, every line proved;
        sorted by receipt, so the box's order says nothing about the order of voting. The
        parts received before are sealed with this last one."""
        self._check(Action.CLOSE_VOTING)
        self.box_of_votes().check_box([*self.box_parts, *box])
        anonymous = sorted(
            ({"receipt": e["receipt"], "ballot": e["ballot"]} for e in box),
            key=lambda e: e["receipt"],
        )
        self.trigger_event(
            self.BoxSealed, box=anonymous, reason=reason, closed_at=closed_at, **_by(actor, key)
        )

    @event(BoxSealed)
    def _box_sealed(
        self, box: list[dict[str, Any]], reason: str, closed_at: datetime, key: str
    ) -> None:
        whole = [*self.box_parts, *box]
        self.vote = self.box_of_votes().with_box(whole, Sealing(reason, closed_at))
        self.box_parts = []
        self.stage = Stage.COUNTING.value
        self._remember(key)

    class ShareSubmitted(Aggregate.Event):
        share: dict[str, Any]
        actor_id: str
        actor_role: str
        key: str

    def submit_share(self, share: dict[str, Any], actor: Actor, key: str) -> None:
        """A trustee's decryption share of every line's totals at once, proved."""
        self._check(Action.GIVE_SHARE)
        self.box_of_votes().check_share(share)
        self.trigger_event(self.ShareSubmitted, share=share, **_by(actor, key))

    @event(ShareSubmitted)
    def _share(self, share: dict[str, Any], key: str) -> None:
        self.vote = self.box_of_votes().with_share(share)
        self._remember(key)

    class Counted(Aggregate.Event):
        result: dict[str, dict[str, Any]]
        actor_id: str
        actor_role: str
        key: str

    @property
    def countable(self) -> bool:
        vote = self.vote
        return bool(vote and vote.is_sealed and not vote.is_counted and not vote.shares_missing)

    def count(self, actor: Actor, key: str) -> None:
        """Open every line's totals and judge each line by its own proposal's council rule,
        over its base (all members or those present, the recused left out)."""
        self._check(Action.GIVE_SHARE)
        vote = self.box_of_votes()
        if not self.countable:
            raise DomainError(
                "the count needs {missing} more trustees' shares", missing=vote.shares_missing
            )
        tallies = vote.count()
        judged = rules.outcomes(self.items, self.members, self.attendance, self.recusals, tallies)
        result = {
            item.line: {
                "tally": asdict(tallies[item.line]),
                "outcome": judged[item.line].value,
                "base": rules.line_base(item, self.members, self.attendance, self.recusals),
            }
            for item in self.items
        }
        self.trigger_event(self.Counted, result=result, **_by(actor, key))

    @event(Counted)
    def _counted(self, result: dict[str, dict[str, Any]], key: str) -> None:
        self.result = result
        tallies = {line: Tally(**judged["tally"]) for line, judged in result.items()}
        self.vote = self.box_of_votes().with_result(tallies)
        self.stage = Stage.CLOSED.value
        self._remember(key)

    # ---- records, adjournment -------------------------------------------------------------

    class RecordsKept(Aggregate.Event):
        records: list[dict[str, str]]
        actor_id: str
        actor_role: str
        key: str

    def keep_records(self, records: Sequence[dict[str, str]], actor: Actor, key: str) -> None:
        """The minutes (biên bản họp) and the count (biên bản kiểm phiếu), each by sha256."""
        self._check(Action.RECORD_MINUTES)
        kept = [dict(record) for record in records]
        if sorted(record.get("kind", "") for record in kept) != sorted(RECORD_KINDS):
            raise InvalidInput(
                "the session keeps one record of each kind: {kinds}", kinds=", ".join(RECORD_KINDS)
            )
        if self.records:
            if self.records != kept:
                raise DomainError("the session's records are kept already")
            return
        self.trigger_event(self.RecordsKept, records=kept, **_by(actor, key))

    @event(RecordsKept)
    def _records(self, records: list[dict[str, str]], key: str) -> None:
        self.records = [dict(record) for record in records]
        self._remember(key)

    class Adjourned(Aggregate.Event):
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def adjourn(self, reason: str, actor: Actor, key: str) -> None:
        """The session ends without a vote; its proposals leave its agenda."""
        self._check(Action.ADJOURN)
        if not reason.strip():
            raise InvalidInput("an adjournment gives its reason")
        self.trigger_event(self.Adjourned, reason=reason.strip(), **_by(actor, key))

    @event(Adjourned)
    def _adjourned(self, reason: str, key: str) -> None:
        self.stage = Stage.ADJOURNED.value
        self.closing_reason = reason
        self._remember(key)
