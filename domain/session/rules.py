"""The session's pure rules: agenda items, attendance, recusal, the quorum, who votes on which
line of the list ballot, and each line's outcome under its proposal's council rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from domain.kernel.errors import DomainError, InvalidInput
from domain.rulebook.version import SessionRules
from domain.voting.ballot import BallotRule, Base, Outcome, Tally, decide, rule_from
from domain.voting.list_ballot import MAX_LINES, check_line_id
from domain.voting.list_box import ListBox


class Attendance(StrEnum):
    PRESENT = "present"
    WRITTEN = "absent_written"  # absent, with a written vote delivered before the session
    ABSENT = "absent"


@dataclass(frozen=True)
class AgendaItem:
    """One appraised proposal on the agenda: its line on the list ballot is its id, judged by
    its form's council rule in its own rulebook version (recorded when it was added)."""

    proposal_id: str
    form: str
    nominee: str
    title: str
    rulebook_version: str
    rule: BallotRule

    @property
    def line(self) -> str:
        return self.proposal_id

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "rule": asdict(self.rule)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AgendaItem:
        return cls(
            proposal_id=check_line_id(str(data["proposal_id"])),
            form=str(data["form"]),
            nominee=str(data["nominee"]),
            title=str(data["title"]),
            rulebook_version=str(data["rulebook_version"]),
            rule=rule_from(dict(data["rule"])),
        )


@dataclass(frozen=True)
class Recusal:
    """A member tied to a nominee takes no part in that line: declared or recorded, with why."""

    member: str
    proposal_id: str
    reason: str
    recorded_by: str


def check_agenda_add(items: Sequence[AgendaItem], item: AgendaItem) -> None:
    if any(existing.proposal_id == item.proposal_id for existing in items):
        raise DomainError("proposal {id} is on this agenda already", id=item.proposal_id)
    if len(items) >= MAX_LINES:
        raise DomainError("a session's agenda holds at most {most} items", most=MAX_LINES)


def reordered(items: Sequence[AgendaItem], order: Sequence[str]) -> list[AgendaItem]:
    """The agenda in the given order: every item named once, no other."""
    by_id = {item.proposal_id: item for item in items}
    if sorted(order) != sorted(by_id):
        raise InvalidInput("a new order names every item of the agenda exactly once")
    return [by_id[proposal_id] for proposal_id in order]


def check_attendance(members: Sequence[str], member: str, attendance: str) -> Attendance:
    if member not in members:
        raise DomainError("{member} is not a member of this session's council", member=member)
    try:
        return Attendance(attendance)
    except ValueError:
        raise InvalidInput(
            "attendance is present, absent_written or absent, got {value!r}", value=attendance
        ) from None


def present(attendance: Mapping[str, str]) -> list[str]:
    return [m for m, kind in attendance.items() if kind == Attendance.PRESENT]


@dataclass(frozen=True)
class Quorum:
    """The count at a quorum check: members present, the number needed, and the lines whose
    present, unrecused members fall short (when recused members do not count)."""

    members: int
    present: int
    needed: int
    short_lines: tuple[str, ...]

    @property
    def met(self) -> bool:
        return self.present >= self.needed and not self.short_lines


def quorum(
    members: Sequence[str],
    attendance: Mapping[str, str],
    recusals: Sequence[Recusal],
    items: Sequence[AgendaItem],
    rules: SessionRules,
) -> Quorum:
    """The rulebook's quorum (default 2/3 of all members) counted on the members present."""
    here = present(attendance)
    fraction = Fraction(rules.quorum)
    needed = -(-fraction.numerator * len(members) // fraction.denominator)  # ceiling
    short: list[str] = []
    if not rules.recused_count_toward_quorum:
        for item in items:
            recused = {r.member for r in recusals if r.proposal_id == item.proposal_id}
            if len([m for m in here if m not in recused]) < needed:
                short.append(item.line)
    return Quorum(len(members), len(here), needed, tuple(short))


def own_lines(
    member: str,
    attendance: Mapping[str, str],
    recusals: Sequence[Recusal],
    items: Sequence[AgendaItem],
) -> list[str]:
    """The lines a member's ballot leaves out: the nominees it is recused from and, for a
    written vote, the lines judged over the members present (a written vote counts only
    where the rule's base is all members)."""
    recused = {r.proposal_id for r in recusals if r.member == member}
    written = attendance.get(member) == Attendance.WRITTEN
    return [
        item.line
        for item in items
        if item.proposal_id in recused or (written and item.rule.base == Base.PRESENT)
    ]


def open_box(
    vote_id: str,
    members: Sequence[str],
    attendance: Mapping[str, str],
    recusals: Sequence[Recusal],
    items: Sequence[AgendaItem],
    election_key: Mapping[str, Any],
) -> ListBox:
    """The session's list vote: members present and members with a written vote, each with a
    line per agenda item but its own; a member with no line left is no voter."""
    lines = [item.line for item in items]
    voting = [m for m in members if attendance.get(m) in (Attendance.PRESENT, Attendance.WRITTEN)]
    own = {m: own_lines(m, attendance, recusals, items) for m in voting}
    electorate = [m for m in voting if set(lines) - set(own[m])]
    if not electorate:
        raise DomainError("no member present or with a written vote has a line to vote on")
    return ListBox.opened(
        vote_id, lines, electorate, {m: own[m] for m in electorate if own[m]}, election_key
    )


def line_base(
    item: AgendaItem,
    members: Sequence[str],
    attendance: Mapping[str, str],
    recusals: Sequence[Recusal],
) -> int:
    """The members a line is judged over: all members (or those present, by the rule), the
    ones recused from its nominee left out."""
    recused = {r.member for r in recusals if r.proposal_id == item.proposal_id}
    counted = members if item.rule.base == Base.ALL else present(attendance)
    return len([m for m in counted if m not in recused])


def outcomes(
    items: Sequence[AgendaItem],
    members: Sequence[str],
    attendance: Mapping[str, str],
    recusals: Sequence[Recusal],
    tallies: Mapping[str, Tally],
) -> dict[str, Outcome]:
    """Each line judged by its form's council rule in its proposal's rulebook version."""
    return {
        item.line: decide(
            item.rule, line_base(item, members, attendance, recusals), tallies[item.line]
        )
        for item in items
    }
