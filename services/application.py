"""AwardsApplication: the commands and queries on proposals, over the event store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.decision import parse_decision_number
from domain.errors import DomainError, InvalidInput
from domain.forms import AwardForm
from domain.proposal import DecisionNumberReservation, Proposal
from domain.states import DecisionOutcome, VoteStage
from workflows.steps import StepCommand

_NUMBERS = uuid5(NAMESPACE_URL, "urn:awards:decision-number")
_CONFLICT_RETRIES = 5
# Event fields that every event has; the rest is the event's own data.
_ENVELOPE = {"originator_id", "originator_version", "timestamp", "actor_id", "actor_role"}


class ProposalNotFound(Exception):
    def __init__(self, proposal_id: UUID, detail: str = "") -> None:
        self.proposal_id = proposal_id
        super().__init__(detail or f"no proposal {proposal_id}")


def proposal_id_for(actor: Actor, idempotency_key: str) -> UUID:
    """The same caller repeating a creation with the same key names the same proposal."""
    return uuid5(NAMESPACE_URL, f"urn:awards:proposal:{actor.id}:{idempotency_key}")


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _decision_extra(proposal: Proposal, args: dict[str, Any]) -> list[DecisionNumberReservation]:
    number = parse_decision_number(args["number"])
    decided_on = date.fromisoformat(args["decided_on"])
    reservation = DecisionNumberReservation(
        id=uuid5(_NUMBERS, number.key(decided_on.year)),
        number=str(number),
        number_key=number.key(decided_on.year),
        proposal_id=proposal.id,
    )
    return [reservation]


class AwardsApplication(Application[UUID]):
    """Every write loads the proposal, applies one domain command and saves the new events."""

    name = "awards"

    def nominate(
        self,
        *,
        proposal_id: UUID,
        form: AwardForm,
        year: int,
        proposing_unit: str,
        cluster: str,
        nominee: dict[str, Any],
        title: str,
        summary: str,
        actor: Actor,
        key: str,
    ) -> tuple[Proposal, bool]:
        """Create a draft; answers (proposal, created) so a repeated request is harmless.
        Reusing a key for a different nomination is refused rather than silently ignored."""
        try:
            existing = self.proposal(proposal_id)
        except ProposalNotFound:
            pass
        else:
            same = (existing.form, existing.year, existing.title, existing.nominee["name"]) == (
                form.code,
                year,
                title.strip(),
                str(nominee.get("name", "")).strip(),
            )
            if not same:
                raise DomainError("this Idempotency-Key already created a different proposal")
            return existing, False
        proposal = Proposal.nominate(
            id=proposal_id,
            form=form,
            year=year,
            proposing_unit=proposing_unit,
            cluster=cluster,
            nominee=nominee,
            title=title,
            summary=summary,
            actor=actor,
            key=key,
        )
        try:
            self.save(proposal)
        except IntegrityError:
            return self.proposal(proposal_id), False
        return proposal, True

    def attach_document(
        self, proposal_id: UUID, document: dict[str, Any], actor: Actor, key: str
    ) -> Proposal:
        def attach(proposal: Proposal) -> list[Any]:
            proposal.attach_document(document, actor, key)
            return []

        return self._change(proposal_id, key, attach)

    def apply_step(self, command: StepCommand) -> Proposal:
        """Apply one step the workflow accepted; a step already applied is not applied again."""
        actor = Actor(command.actor_id, command.actor_role)
        args = command.args
        key = command.key

        def act(proposal: Proposal) -> list[Any]:
            action = command.action
            if action == "submit":
                proposal.submit(actor, key, args.get("comment", ""))
            elif action == "resubmit":
                proposal.resubmit(actor, key, args.get("comment", ""))
            elif action == "open_vote":
                proposal.open_vote(
                    VoteStage(args["stage"]),
                    args["electorate"],
                    args["rule"],
                    _iso(args["deadline"]),
                    args["election_key"],
                    actor,
                    key,
                )
            elif action == "record_ballot":
                proposal.record_ballot(VoteStage(args["stage"]), args["voter"], actor, key)
            elif action == "seal_box":
                proposal.seal_box(
                    VoteStage(args["stage"]),
                    args["box"],
                    args["reason"],
                    _iso(args["closed_at"]),
                    actor,
                    key,
                )
            elif action == "submit_share":
                proposal.submit_share(VoteStage(args["stage"]), args["share"], actor, key)
            elif action == "close_vote":
                proposal.close_vote(VoteStage(args["stage"]), actor, key)
            elif action == "open_appraisal":
                proposal.open_appraisal(_iso(args["deadline"]), actor, key)
            elif action == "approve_appraisal":
                proposal.approve_appraisal(actor, key, args.get("comment", ""))
            elif action == "return":
                proposal.return_for_supplements(args["reason"], actor, key)
            elif action == "miss_deadline":
                proposal.miss_deadline(args["step"], _iso(args["deadline"]), actor, key)
            elif action == "hold":
                proposal.hold(args["reason"], actor, key)
            elif action == "release":
                proposal.release(args.get("reason", ""), actor, key)
            elif action == "withdraw":
                proposal.withdraw(args.get("reason", ""), actor, key)
            elif action == "decide":
                proposal.decide(
                    DecisionOutcome(args["outcome"]),
                    parse_decision_number(args["number"]),
                    date.fromisoformat(args["decided_on"]),
                    args.get("reason", ""),
                    actor,
                    key,
                )
                return _decision_extra(proposal, args)
            else:
                raise InvalidInput(f"unknown step {action!r}")
            return []

        return self._change(UUID(command.proposal_id), key, act)

    def _change(
        self, proposal_id: UUID, key: str, act: Callable[[Proposal], list[Any]]
    ) -> Proposal:
        # Optimistic concurrency: a concurrent writer makes save() conflict; reload and retry.
        for _ in range(_CONFLICT_RETRIES):
            proposal = self.proposal(proposal_id)
            if proposal.has_step(key):
                return proposal
            extra = act(proposal)
            try:
                self.save(proposal, *extra)
            except IntegrityError:
                self._explain_conflict(extra)
                continue
            return proposal
        raise DomainError(f"proposal {proposal_id} is changing too fast; try again")

    def _explain_conflict(self, extra: list[Any]) -> None:
        for item in extra:
            if isinstance(item, DecisionNumberReservation):
                try:
                    held: DecisionNumberReservation = self.repository.get(item.id)
                except AggregateNotFoundError:
                    continue
                raise DomainError(
                    f"decision number {held.number} is already used by proposal {held.proposal_id}"
                )

    # ---- queries -------------------------------------------------------------------------

    def proposal(self, proposal_id: UUID, as_of: datetime | None = None) -> Proposal:
        version: int | None = None
        if as_of is not None:
            version = self._version_at(proposal_id, as_of)
        try:
            proposal: Proposal = self.repository.get(proposal_id, version=version)
        except AggregateNotFoundError:
            raise ProposalNotFound(proposal_id) from None
        if not isinstance(proposal, Proposal):
            raise ProposalNotFound(proposal_id)
        return proposal

    def _version_at(self, proposal_id: UUID, as_of: datetime) -> int:
        version = 0
        for stored in self.domain_events(proposal_id):
            if stored.timestamp > as_of:
                break
            version = stored.originator_version
        if version == 0:
            raise ProposalNotFound(
                proposal_id, f"proposal {proposal_id} did not exist at {as_of.isoformat()}"
            )
        return version

    def domain_events(self, proposal_id: UUID) -> list[DomainEvent]:
        return [e for e in self.events.get(proposal_id) if isinstance(e, DomainEvent)]

    def history(self, proposal_id: UUID) -> list[dict[str, Any]]:
        events = self.domain_events(proposal_id)
        if not events:
            raise ProposalNotFound(proposal_id)
        return [describe_event(event) for event in events]


def describe_event(event: DomainEvent) -> dict[str, Any]:
    data = {k: v for k, v in vars(event).items() if k not in _ENVELOPE}
    return {
        "sequence": event.originator_version,
        "type": type(event).__name__,
        "time": event.timestamp,
        "actor": getattr(event, "actor_id", None),
        "role": getattr(event, "actor_role", None),
        "data": data,
    }
