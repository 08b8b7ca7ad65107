"""Delegation: a holder (President, council chair, standing member) names a deputy for a period
and a scope of acts; outside them the deputy is refused, and the refusal says which and why."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.decision.signing import GRANTABLE, SigningForm, signing_form
from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError, InvalidInput

REGISTER_ID = uuid5(NAMESPACE_URL, "urn:awards:delegations")
MAX_DAYS = 366 * 5  # a delegation in writing is limited in time


class DelegationRefused(DomainError):
    """A deputy acted outside a delegation's period or scope, or with none."""

    code = "delegation-refused"


class Office(StrEnum):
    PRESIDENT = "president"
    COUNCIL_CHAIR = "council_chair"
    STANDING_MEMBER = "standing_member"


class Act(StrEnum):
    """The acts a holder may hand to a deputy; a session's steps ask for theirs by name."""

    SIGN_DECISION = "sign_decision"
    CHAIR_SESSION = "chair_session"
    OPEN_VOTING = "open_voting"
    CLOSE_SESSION = "close_session"
    CONVENE_SESSION = "convene_session"
    MANAGE_AGENDA = "manage_agenda"
    RECORD_ATTENDANCE = "record_attendance"
    RECORD_RECUSAL = "record_recusal"


# Which office holds which acts: a holder delegates only acts of their own office.
ACTS_OF: dict[Office, frozenset[Act]] = {
    Office.PRESIDENT: frozenset({Act.SIGN_DECISION}),
    Office.COUNCIL_CHAIR: frozenset({Act.CHAIR_SESSION, Act.OPEN_VOTING, Act.CLOSE_SESSION}),
    Office.STANDING_MEMBER: frozenset(
        {Act.CONVENE_SESSION, Act.MANAGE_AGENDA, Act.RECORD_ATTENDANCE, Act.RECORD_RECUSAL}
    ),
}


def act_of(text: str) -> Act:
    try:
        return Act(text)
    except ValueError:
        raise InvalidInput(
            "act {act!r} is none of {acts}", act=text, acts=", ".join(a.value for a in Act)
        ) from None


def office_of(text: str) -> Office:
    try:
        return Office(text)
    except ValueError:
        raise InvalidInput(
            "office {office!r} is none of president, council_chair, standing_member", office=text
        ) from None


@dataclass(frozen=True)
class Delegation:
    """One delegation in writing: who hands which acts to whom, from when to when, signed how."""

    id: str
    holder: str
    office: Office
    deputy: str
    starts_on: date
    ends_on: date
    acts: tuple[Act, ...]
    form: SigningForm
    reason: str
    granted_by: str
    revoked_on: date | None = None
    revoked_reason: str = ""

    def refusal(self, act: Act, day: date) -> DelegationRefused | None:
        """Why this delegation does not cover ``act`` on ``day``, or None when it does."""
        names = {"id": self.id, "holder": self.holder, "deputy": self.deputy}
        if self.revoked_on is not None and day >= self.revoked_on:
            return DelegationRefused(
                "delegation {id} from {holder} to {deputy} was revoked on {revoked_on}",
                revoked_on=self.revoked_on.isoformat(),
                **names,
            )
        if not self.starts_on <= day <= self.ends_on:
            return DelegationRefused(
                "delegation {id} from {holder} to {deputy} runs from {starts_on} to {ends_on}:"
                " {day} is outside it",
                starts_on=self.starts_on.isoformat(),
                ends_on=self.ends_on.isoformat(),
                day=day.isoformat(),
                **names,
            )
        if act not in self.acts:
            return DelegationRefused(
                "delegation {id} from {holder} to {deputy} covers {acts}, not {act}",
                acts=", ".join(a.value for a in self.acts),
                act=act.value,
                **names,
            )
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "holder": self.holder,
            "office": self.office.value,
            "deputy": self.deputy,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "acts": [a.value for a in self.acts],
            "form": self.form.value,
            "reason": self.reason,
            "granted_by": self.granted_by,
            "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
            "revoked_reason": self.revoked_reason,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Delegation:
        revoked = data.get("revoked_on")
        return cls(
            id=str(data["id"]),
            holder=str(data["holder"]),
            office=Office(data["office"]),
            deputy=str(data["deputy"]),
            starts_on=date.fromisoformat(data["starts_on"]),
            ends_on=date.fromisoformat(data["ends_on"]),
            acts=tuple(Act(a) for a in data["acts"]),
            form=SigningForm(data["form"]),
            reason=str(data["reason"]),
            granted_by=str(data["granted_by"]),
            revoked_on=date.fromisoformat(revoked) if revoked else None,
            revoked_reason=str(data.get("revoked_reason", "")),
        )


def authority(delegations: Iterable[Delegation], deputy: str, act: Act, day: date) -> Delegation:
    """The delegation under which ``deputy`` may take ``act`` on ``day``; refused otherwise,
    naming the delegation that came closest (one for the act, else any) and why."""
    theirs = [d for d in delegations if d.deputy == deputy]
    for delegation in theirs:
        if delegation.refusal(act, day) is None:
            return delegation
    closest = [d for d in theirs if act in d.acts] or theirs
    if not closest:
        raise DelegationRefused(
            "{deputy} holds no delegation for {act}", deputy=deputy, act=act.value
        )
    refusal = closest[-1].refusal(act, day)
    assert refusal is not None
    raise refusal


def check_grant(
    office: Office, holder: str, deputy: str, starts_on: date, ends_on: date, acts: Sequence[Act]
) -> None:
    if not deputy.strip() or deputy == holder:
        raise InvalidInput("a deputy other than the holder is required")
    if ends_on < starts_on:
        raise InvalidInput(
            "a delegation ends on {ends_on}, before it starts on {starts_on}",
            ends_on=ends_on.isoformat(),
            starts_on=starts_on.isoformat(),
        )
    if (ends_on - starts_on).days > MAX_DAYS:
        raise InvalidInput("a delegation is limited in time: at most five years")
    if not acts:
        raise InvalidInput("a delegation names at least one act")
    foreign = [a.value for a in acts if a not in ACTS_OF[office]]
    if foreign:
        raise InvalidInput(
            "the {office} cannot delegate {acts}", office=office.value, acts=", ".join(foreign)
        )


class DelegationRegister(Aggregate):
    """Every delegation of the body, in one aggregate: a few dozen a year, each checked at
    every delegated act, so one read answers them all."""

    @event("Opened")
    def __init__(self, *, id: UUID) -> None:
        self.delegations: list[Delegation] = []
        self.step_keys: list[str] = []

    @classmethod
    def open(cls) -> DelegationRegister:
        return cls(id=REGISTER_ID)

    def has_step(self, key: str) -> bool:
        return key in self.step_keys

    def find(self, delegation_id: str) -> Delegation:
        for delegation in self.delegations:
            if delegation.id == delegation_id:
                return delegation
        raise InvalidInput("no delegation {id}", id=delegation_id)

    class Granted(Aggregate.Event):
        delegation: dict[str, Any]
        actor_id: str
        actor_role: str
        key: str

    def grant(
        self,
        delegation_id: str,
        office: Office,
        holder: str,
        deputy: str,
        period: tuple[date, date],
        acts: Sequence[Act],
        form: str,
        reason: str,
        actor: Actor,
        key: str,
    ) -> None:
        starts_on, ends_on = period
        check_grant(office, holder, deputy.strip(), starts_on, ends_on, acts)
        granted = signing_form(form)
        if granted not in GRANTABLE:
            raise InvalidInput(
                "a delegation grants signing KT, Q, TL or TUQ, not {form}", form=form
            )
        if any(d.id == delegation_id for d in self.delegations):
            raise DomainError("delegation {id} exists already", id=delegation_id)
        delegation = Delegation(
            delegation_id,
            holder,
            office,
            deputy.strip(),
            starts_on,
            ends_on,
            tuple(dict.fromkeys(acts)),
            granted,
            reason.strip(),
            actor.id,
        )
        self.trigger_event(
            self.Granted,
            delegation=delegation.to_json(),
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event(Granted)
    def _granted(self, delegation: dict[str, Any], key: str) -> None:
        self.delegations = [*self.delegations, Delegation.from_json(delegation)]
        self.step_keys.append(key)

    class Revoked(Aggregate.Event):
        delegation_id: str
        revoked_on: str
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def revoke(
        self, delegation_id: str, revoked_on: date, reason: str, actor: Actor, key: str
    ) -> None:
        delegation = self.find(delegation_id)
        if delegation.revoked_on is not None:
            raise DomainError(
                "delegation {id} was revoked on {revoked_on}",
                id=delegation_id,
                revoked_on=delegation.revoked_on.isoformat(),
            )
        if not reason.strip():
            raise InvalidInput("a reason is required to revoke a delegation")
        self.trigger_event(
            self.Revoked,
            delegation_id=delegation_id,
            revoked_on=revoked_on.isoformat(),
            reason=reason.strip(),
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event(Revoked)
    def _revoked(self, delegation_id: str, revoked_on: str, reason: str, key: str) -> None:
        day = date.fromisoformat(revoked_on)
        self.delegations = [
            replace(d, revoked_on=day, revoked_reason=reason) if d.id == delegation_id else d
            for d in self.delegations
        ]
        self.step_keys.append(key)
