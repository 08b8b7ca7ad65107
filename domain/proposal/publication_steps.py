"""The proposal's publication, complaint and revocation steps, mixed into ``Proposal``.

Each event class here is re-created by the aggregate's metaclass inside ``Proposal``, so it is
stored under the topic ``domain.proposal.aggregate:Proposal.<Event>`` like the others. The
event's ``apply`` calls the private method whose body only changes state (the library's
``@event`` registry does not follow events into a subclass).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError, InvalidInput
from domain.proposal.decision import Decision, DecisionNumber
from domain.proposal.forwarding import ExternalOutcome
from domain.proposal.lifecycle import Step, check
from domain.proposal.publication import (
    Award,
    Publication,
    Recovery,
    Revocation,
    RevocationGround,
    check_publication,
    check_recovery,
    check_revocation,
    check_revocation_date,
)
from domain.proposal.states import DecisionOutcome, State


def _by(actor: Actor, key: str) -> dict[str, str]:
    return {"actor_id": actor.id, "actor_role": actor.role, "key": key}


def _fields(event: Any) -> dict[str, Any]:
    """An event's own fields, as its private method takes them."""
    return {k: v for k, v in vars(event).items() if k not in _ENVELOPE}


_ENVELOPE = {"originator_id", "originator_version", "timestamp", "actor_role"}


class PublicationSteps(Aggregate):
    """Publication, complaints upheld, revocation and recovery of a proposal."""

    # State of proposals stored before these steps existed: class-level defaults, so that
    # their snapshots load without an upcast. (No annotations at run time: the library
    # would make them dataclass fields of the aggregate.)
    if TYPE_CHECKING:
        publication: Publication | None = None
        revocation: Revocation | None = None
        recovery: Recovery | None = None
        state: str
        form: str
        year: int
        held_from: str | None
        closing_reason: str | None
        decision: Decision | None
        external_outcome: ExternalOutcome | None
        step_keys: list[str]
    else:
        publication = revocation = recovery = None

    @property
    def award(self) -> Award | None:
        """The decision that awarded the proposal, if one did."""
        if self.decision is not None and self.decision.awarded:
            return Award(self.decision.number, self.decision.decided_on)
        if self.external_outcome is not None and self.external_outcome.awarded:
            return Award(self.external_outcome.number, self.external_outcome.decided_on)
        return None

    def _outcome(self) -> DecisionOutcome | None:
        found = self.decision or self.external_outcome
        return found.outcome if found else None

    # ---- publication ---------------------------------------------------------------------

    class Published(Aggregate.Event):
        published_on: str
        window_end: str
        working_days: int
        where: str
        actor_id: str
        actor_role: str
        key: str

        def apply(self, aggregate: Any) -> None:
            aggregate._published(**_fields(self))

    def publish(self, publication: Publication, today: date, actor: Actor, key: str) -> None:
        """Publish an appraised nominee for feedback until the window's last day (computed
        on the working calendar by the caller)."""
        published_on, end, where = (
            publication.published_on,
            publication.window_end,
            publication.where,
        )
        check(Step.PUBLISH, self.state)
        check_publication(published_on, today, self.year)
        if end <= published_on:
            raise InvalidInput("the publication window must end after the day of publication")
        if not where.strip():
            raise InvalidInput("say where the nominee was published")
        self.trigger_event(
            self.Published,
            published_on=published_on.isoformat(),
            window_end=end.isoformat(),
            working_days=publication.working_days,
            where=where.strip(),
            **_by(actor, key),
        )

    def _published(
        self,
        published_on: str,
        window_end: str,
        working_days: int,
        where: str,
        actor_id: str,
        key: str,
    ) -> None:
        self.publication = Publication(
            date.fromisoformat(published_on),
            date.fromisoformat(window_end),
            working_days,
            where,
            actor_id,
        )
        self.state = State.PUBLISHED.value
        self.step_keys.append(key)

    # ---- a complaint upheld --------------------------------------------------------------

    class ComplaintUpheld(Aggregate.Event):
        """The secretary upheld a complaint received in the window: the nominee is rejected.
        The complainant is not named here (only the complaint's id)."""

        complaint_id: str
        reason: str
        actor_id: str
        actor_role: str
        key: str

        def apply(self, aggregate: Any) -> None:
            aggregate._complaint_upheld(**_fields(self))

    def uphold_complaint(self, complaint_id: str, reason: str, actor: Actor, key: str) -> None:
        check(Step.UPHOLD_COMPLAINT, self.state, reason)
        if self.publication is None:
            raise DomainError("only a published nominee's complaint is upheld here")
        self.trigger_event(
            self.ComplaintUpheld,
            complaint_id=complaint_id,
            reason=reason.strip(),
            **_by(actor, key),
        )

    def _complaint_upheld(self, complaint_id: str, reason: str, actor_id: str, key: str) -> None:
        self.state = State.REJECTED.value
        self.held_from = None
        self.closing_reason = f"complaint {complaint_id} upheld: {reason}"
        self.step_keys.append(key)

    # ---- revocation and recovery -----------------------------------------------------------

    class Revoked(Aggregate.Event):
        ground: str
        number: str
        number_key: str
        decided_on: str
        reason: str
        cites_number: str
        cites_date: str
        prize_money: int
        actor_id: str
        actor_role: str
        key: str

        def apply(self, aggregate: Any) -> None:
            aggregate._revoked(**_fields(self))

    def revoke(
        self,
        ground: RevocationGround,
        number: DecisionNumber,
        decided_on: date,
        reason: str,
        prize_money: int,
        actor: Actor,
        key: str,
    ) -> None:
        """Revoke the award by a new decision citing it; certificate and prize money are
        marked for recovery. Nothing earlier is changed: the award stays in the history."""
        check(Step.REVOKE, self.state, reason)
        award = check_revocation(self.state, self.award, self._outcome())
        check_revocation_date(decided_on, award, prize_money)
        if str(number) == award.number:
            raise InvalidInput("the revoking decision needs a number of its own")
        self.trigger_event(
            self.Revoked,
            ground=RevocationGround(ground).value,
            number=str(number),
            number_key=number.key(decided_on.year),
            decided_on=decided_on.isoformat(),
            reason=reason.strip(),
            cites_number=award.number,
            cites_date=award.decided_on.isoformat(),
            prize_money=prize_money,
            **_by(actor, key),
        )

    def _revoked(
        self,
        ground: str,
        number: str,
        number_key: str,
        decided_on: str,
        reason: str,
        cites_number: str,
        cites_date: str,
        prize_money: int,
        actor_id: str,
        key: str,
    ) -> None:
        self.revocation = Revocation(
            RevocationGround(ground),
            number,
            date.fromisoformat(decided_on),
            reason,
            cites_number,
            date.fromisoformat(cites_date),
            prize_money,
            actor_id,
        )
        self.state = State.REVOKED.value
        self.closing_reason = f"decision {number}: revoked ({ground})"
        self.step_keys.append(key)

    class RecoveryRecorded(Aggregate.Event):
        recovered_on: str
        certificate_returned: bool
        money_recovered: int
        note: str
        actor_id: str
        actor_role: str
        key: str

        def apply(self, aggregate: Any) -> None:
            aggregate._recovery_recorded(**_fields(self))

    def record_recovery(self, recovery: Recovery, actor: Actor, key: str) -> None:
        check(Step.RECORD_RECOVERY, self.state)
        check_recovery(self.state, self.revocation, recovery)
        if self.recovery is not None:
            raise DomainError(
                "the recovery was recorded on {day}", day=self.recovery.recovered_on.isoformat()
            )
        self.trigger_event(
            self.RecoveryRecorded,
            recovered_on=recovery.recovered_on.isoformat(),
            certificate_returned=recovery.certificate_returned,
            money_recovered=recovery.money_recovered,
            note=recovery.note.strip(),
            **_by(actor, key),
        )

    def _recovery_recorded(
        self,
        recovered_on: str,
        certificate_returned: bool,
        money_recovered: int,
        note: str,
        actor_id: str,
        key: str,
    ) -> None:
        self.recovery = Recovery(
            date.fromisoformat(recovered_on), certificate_returned, money_recovered, note, actor_id
        )
        self.step_keys.append(key)
