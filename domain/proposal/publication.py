"""Publication of a state-level nominee and its feedback window, complaints in that window,
and the revocation of an award with the recovery of what it gave (Law 06/2022 Art 93).

The rules here are pure: the day, the working calendar and the rulebook's numbers arrive as
arguments. [session] asks ``check_window_ended`` before a proposal goes on an agenda.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from domain.kernel.calendar import WorkingCalendar
from domain.kernel.errors import DomainError, IllegalTransition, InvalidInput
from domain.proposal.lifecycle import Step
from domain.proposal.states import DecisionOutcome, State


@dataclass(frozen=True)
class Publication:
    """Where and when the nominee was published, and the last day of its feedback window."""

    published_on: date
    window_end: date  # inclusive: complaints are received until the end of this day
    working_days: int
    where: str  # the proposing body's media, e.g. its web portal
    by: str

    def window_open(self, day: date) -> bool:
        return self.published_on <= day <= self.window_end

    def to_json(self) -> dict[str, Any]:
        return {
            "published_on": self.published_on.isoformat(),
            "window_end": self.window_end.isoformat(),
            "working_days": self.working_days,
            "where": self.where,
            "by": self.by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Publication:
        return cls(
            published_on=date.fromisoformat(data["published_on"]),
            window_end=date.fromisoformat(data["window_end"]),
            working_days=int(data["working_days"]),
            where=str(data["where"]),
            by=str(data["by"]),
        )


def window_end(calendar: WorkingCalendar, published_on: date, working_days: int) -> date:
    """The window's last day: ``working_days`` working days after the day of publication."""
    if working_days < 1:
        raise InvalidInput("the publication window must last at least one working day")
    return calendar.add_working_days(published_on, working_days)


def check_publication(published_on: date, today: date, year: int) -> None:
    """A publication is recorded once it happened (never ahead), in or after its year."""
    if published_on > today:
        raise InvalidInput(
            "the publication date {published_on} is in the future",
            published_on=published_on.isoformat(),
        )
    if published_on.year < year:
        raise InvalidInput(
            "the publication date {published_on} is before emulation year {year}",
            published_on=published_on.isoformat(),
            year=year,
        )


class Publishable(Protocol):
    """What the window's rules read of a proposal."""

    @property
    def form(self) -> str: ...

    @property
    def state(self) -> str: ...

    @property
    def publication(self) -> Publication | None: ...


def needs_publication(form: str, publication_forms: Collection[str]) -> bool:
    """Whether the rulebook version publishes nominees of ``form`` before the council."""
    return form in publication_forms


def check_window_ended(
    proposal: Publishable, today: date, publication_forms: Collection[str] = ()
) -> None:
    """Rule publication_window: a nominee the rulebook publishes goes before the council (its
    vote, a session's agenda) only once published and after its feedback window has ended.
    ``publication_forms`` is the proposal's rulebook version's; a proposal published anyway
    is held to its window whatever the version says."""
    found = proposal.publication
    if found is None and needs_publication(proposal.form, publication_forms):
        raise DomainError(
            "the nominee must be published for feedback before the council (rule"
            " publication_window)"
        )
    if found is not None and today <= found.window_end:
        raise DomainError(
            "the publication window runs until {window_end}: the council may take the nominee"
            " only after it (rule publication_window)",
            window_end=found.window_end.isoformat(),
        )


def check_complaint_window(proposal: Publishable, held_from: str | None, today: date) -> None:
    """A complaint is received while the nominee is published and its window is open (also
    when a complaint already holds it)."""
    found = proposal.publication
    published = proposal.state == State.PUBLISHED or (
        proposal.state == State.ON_HOLD and held_from == State.PUBLISHED
    )
    if found is None or not published:
        raise IllegalTransition(
            proposal.state, "lodge a complaint against", "only a published nominee's window"
        )
    if not found.window_open(today):
        raise DomainError(
            "the publication window ended on {window_end}: complaints are received until then",
            window_end=found.window_end.isoformat(),
        )


# ---- revocation (Law 06/2022 Art 93) ---------------------------------------------------------


class RevocationGround(StrEnum):
    FALSE_INFORMATION = "false_information"  # gian dối, kê khai không trung thực
    FORGED_PAPERS = "forged_papers"  # làm giả hồ sơ, giấy tờ
    UNLAWFUL_REVIEW = "unlawful_review"  # đề nghị, xét duyệt trái pháp luật
    VOIDED_ELIGIBILITY = "voided_eligibility"  # a later finding voids the conditions


def revocation_ground(text: str) -> RevocationGround:
    try:
        return RevocationGround(text)
    except ValueError:
        known = ", ".join(g.value for g in RevocationGround)
        raise InvalidInput(
            "unknown revocation ground {ground!r}; the grounds of Law 06/2022 Art 93: {known}",
            ground=text,
            known=known,
        ) from None


@dataclass(frozen=True)
class Award:
    """The decision that awarded the proposal: VUSTA's, or the state body's."""

    number: str
    decided_on: date


@dataclass(frozen=True)
class Revocation:
    """The decision that revokes an award, citing it, and what it marks for recovery."""

    ground: RevocationGround
    number: str
    decided_on: date
    reason: str
    cites_number: str
    cites_date: date
    prize_money: int  # VND marked for recovery (0: none was paid)
    by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "ground": self.ground.value,
            "number": self.number,
            "decided_on": self.decided_on.isoformat(),
            "reason": self.reason,
            "cites_number": self.cites_number,
            "cites_date": self.cites_date.isoformat(),
            "prize_money": self.prize_money,
            "by": self.by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Revocation:
        return cls(
            ground=RevocationGround(data["ground"]),
            number=str(data["number"]),
            decided_on=date.fromisoformat(data["decided_on"]),
            reason=str(data["reason"]),
            cites_number=str(data["cites_number"]),
            cites_date=date.fromisoformat(data["cites_date"]),
            prize_money=int(data["prize_money"]),
            by=str(data["by"]),
        )


@dataclass(frozen=True)
class Recovery:
    """The certificate and money recovered after a revocation, as the secretary recorded it."""

    recovered_on: date
    certificate_returned: bool
    money_recovered: int
    note: str
    by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "recovered_on": self.recovered_on.isoformat(),
            "certificate_returned": self.certificate_returned,
            "money_recovered": self.money_recovered,
            "note": self.note,
            "by": self.by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Recovery:
        return cls(
            recovered_on=date.fromisoformat(data["recovered_on"]),
            certificate_returned=bool(data["certificate_returned"]),
            money_recovered=int(data["money_recovered"]),
            note=str(data["note"]),
            by=str(data["by"]),
        )


def check_revocation(state: str, award: Award | None, outcome: DecisionOutcome | None) -> Award:
    """Only an award is revoked: a decision (VUSTA's or the state body's) that awarded."""
    if award is None or outcome != DecisionOutcome.AWARDED:
        raise IllegalTransition(state, Step.REVOKE.value, "only an award is revoked")
    return award


def check_revocation_date(decided_on: date, award: Award, prize_money: int) -> None:
    if decided_on < award.decided_on:
        raise InvalidInput(
            "the revoking decision is dated {decided_on}, before the award it revokes"
            " ({awarded_on})",
            decided_on=decided_on.isoformat(),
            awarded_on=award.decided_on.isoformat(),
        )
    if prize_money < 0:
        raise InvalidInput("the prize money to recover cannot be negative")


def check_recovery(state: str, revocation: Revocation | None, recovery: Recovery) -> None:
    if revocation is None:
        raise IllegalTransition(state, Step.RECORD_RECOVERY.value, "no award was revoked")
    if recovery.recovered_on < revocation.decided_on:
        raise InvalidInput(
            "the recovery is dated {recovered_on}, before the revocation of {revoked_on}",
            recovered_on=recovery.recovered_on.isoformat(),
            revoked_on=revocation.decided_on.isoformat(),
        )
    if not 0 <= recovery.money_recovered <= revocation.prize_money:
        raise InvalidInput(
            "the money recovered must be between 0 and the {prize_money} VND marked for recovery",
            prize_money=revocation.prize_money,
        )
