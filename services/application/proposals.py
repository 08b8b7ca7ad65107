"""AwardsApplication: the commands and queries on proposals, over the event store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain.decision.aggregate import Decision as DecisionForMany
from domain.decision.aggregate import number_holder_id
from domain.kernel.actor import Actor
from domain.kernel.calendar import today
from domain.kernel.errors import DomainError
from domain.kernel.message import Message
from domain.proposal.aggregate import DecisionNumberReservation, Proposal
from domain.proposal.commands import (
    ApproveAppraisal,
    CloseVote,
    Command,
    Decide,
    DecideByDecision,
    Forward,
    Hold,
    MissDeadline,
    OpenAppraisal,
    OpenVote,
    Publish,
    RecordBallot,
    RecordExternalOutcome,
    RecordRecovery,
    RecordSessionResult,
    Release,
    Resubmit,
    ReturnDossier,
    Revoke,
    SealBox,
    Submit,
    SubmitShare,
    TakeServiceShares,
    UpholdComplaint,
    Withdraw,
)
from domain.proposal.decision import DecisionNumber, parse_decision_number
from domain.proposal.forms import AwardForm
from domain.proposal.forwarding import RecordRef
from domain.proposal.lifecycle import APPROVED
from domain.proposal.publication import (
    Publication,
    Recovery,
    check_window_ended,
    revocation_ground,
)
from domain.proposal.states import VoteStage
from domain.voting.ballot import BallotRule, Outcome, Tally, rule_from
from services.application.transcodings import register_value_objects
from workflows.guards import decision_date, decision_outcome

_CONFLICT_RETRIES = 5
# Event fields that every event has; the rest is the event's own data.
_ENVELOPE = {"originator_id", "originator_version", "timestamp", "actor_id", "actor_role"}


@dataclass(frozen=True)
class Conference:
    """The conference's vote a proposal is created with: its records and their documents."""

    conference_id: str
    records: tuple[RecordRef, ...]
    documents: tuple[dict[str, Any], ...]


class ProposalNotFound(Exception):
    """No such proposal (or none yet at the moment asked); ``message`` says which."""

    def __init__(self, proposal_id: UUID, message: Message | None = None) -> None:
        self.proposal_id = proposal_id
        self.message = message or Message("no proposal {id}", id=str(proposal_id))
        super().__init__(self.message.render())


def proposal_id_for(actor: Actor, idempotency_key: str) -> UUID:
    """The same caller repeating a creation with the same key names the same proposal."""
    return uuid5(NAMESPACE_URL, f"urn:awards:proposal:{actor.id}:{idempotency_key}")


class StepServices(Protocol):
    """What some steps need beyond the proposal: the directory and the keys the service holds."""

    def electorate(self, proposal: Proposal, stage: VoteStage, rule: BallotRule) -> list[str]: ...

    def election_key(self) -> dict[str, Any]: ...

    def service_shares(self, proposal: Proposal, stage: VoteStage) -> list[dict[str, Any]]: ...


class _NoServices:
    def electorate(self, proposal: Proposal, stage: VoteStage, rule: BallotRule) -> list[str]:
        raise DomainError("opening a vote needs its electorate")

    def election_key(self) -> dict[str, Any]:
        raise DomainError("opening a vote needs its election key")

    def service_shares(self, proposal: Proposal, stage: VoteStage) -> list[dict[str, Any]]:
        return []


# ---- the handler table: each command applied to a loaded proposal --------------------------
# A handler answers the other aggregates to save with the proposal (a decision's number).

Extra = list[Any]


def _submit(p: Proposal, c: Submit, s: StepServices) -> Extra:
    p.submit(c.actor, c.key, c.comment)
    return []


def _resubmit(p: Proposal, c: Resubmit, s: StepServices) -> Extra:
    p.resubmit(c.actor, c.key, c.comment)
    return []


def _open_vote(p: Proposal, c: OpenVote, s: StepServices) -> Extra:
    electorate = c.electorate
    if electorate is None:
        electorate = s.electorate(p, c.stage, rule_from(c.rule))
    key = c.election_key if c.election_key is not None else s.election_key()
    if c.stage == VoteStage.COUNCIL:  # --- publish ---: a published nominee's window first
        check_window_ended(p, date.fromisoformat(c.today) if c.today else today())
    p.open_vote(c.stage, electorate, c.rule, c.deadline, key, c.actor, c.key)
    return []


def _record_ballot(p: Proposal, c: RecordBallot, s: StepServices) -> Extra:
    p.record_ballot(c.stage, c.voter, c.actor, c.key)
    return []


def _seal_box(p: Proposal, c: SealBox, s: StepServices) -> Extra:
    p.seal_box(c.stage, c.box, c.reason, c.closed_at, c.actor, c.key)
    return []


def _submit_share(p: Proposal, c: SubmitShare, s: StepServices) -> Extra:
    p.submit_share(c.stage, c.share, c.actor, c.key)
    return []


def _take_service_shares(p: Proposal, c: TakeServiceShares, s: StepServices) -> Extra:
    for share in s.service_shares(p, c.stage):
        p.submit_share(c.stage, share, c.actor, f"{c.key}:{share['trustee']}")
    return []


def _close_vote(p: Proposal, c: CloseVote, s: StepServices) -> Extra:
    if not (c.if_counted and p.vote(c.stage).shares_missing):
        p.close_vote(c.stage, c.actor, c.key)
    return []


def _open_appraisal(p: Proposal, c: OpenAppraisal, s: StepServices) -> Extra:
    if not c.if_approved or p.state == APPROVED[VoteStage.CLUSTER]:
        p.open_appraisal(c.deadline, c.actor, c.key)
    return []


def _approve_appraisal(p: Proposal, c: ApproveAppraisal, s: StepServices) -> Extra:
    p.approve_appraisal(c.actor, c.key, c.comment)
    return []


def _return(p: Proposal, c: ReturnDossier, s: StepServices) -> Extra:
    p.return_for_supplements(c.reason, c.actor, c.key)
    return []


def _miss_deadline(p: Proposal, c: MissDeadline, s: StepServices) -> Extra:
    p.miss_deadline(c.step, c.deadline, c.actor, c.key)
    return []


def _hold(p: Proposal, c: Hold, s: StepServices) -> Extra:
    p.hold(c.reason, c.actor, c.key)
    return []


def _release(p: Proposal, c: Release, s: StepServices) -> Extra:
    p.release(c.reason, c.actor, c.key)
    return []


def _withdraw(p: Proposal, c: Withdraw, s: StepServices) -> Extra:
    p.withdraw(c.reason, c.actor, c.key)
    return []


def _decide(p: Proposal, c: Decide, s: StepServices) -> Extra:
    number = parse_decision_number(c.number)
    decided_on, outcome = decision_date(c.decided_on), decision_outcome(c.outcome)
    p.decide(outcome, number, decided_on, c.reason, c.actor, c.key)
    return [_reservation(number, decided_on.year, p.id)]


def _reservation(number: DecisionNumber, year: int, proposal_id: UUID) -> Any:
    """The number held in its issuer's series for the year: a second use conflicts."""
    return DecisionNumberReservation(
        id=number_holder_id(number, year),
        number=str(number),
        number_key=number.key(year),
        proposal_id=proposal_id,
    )


def _forward(p: Proposal, c: Forward, s: StepServices) -> Extra:
    sent_on = decision_date(c.sent_on)
    p.forward(c.letter_number, sent_on, c.recipient, c.letter, c.actor, c.key)
    return []


def _external_outcome(p: Proposal, c: RecordExternalOutcome, s: StepServices) -> Extra:
    outcome, decided_on = decision_outcome(c.outcome), decision_date(c.decided_on)
    p.record_external_outcome(
        outcome, c.number, decided_on, c.issuer, c.document, c.actor, c.key, c.reason
    )
    return []


# --- publish ---


def _publish(p: Proposal, c: Publish, s: StepServices) -> Extra:
    published = Publication(
        date.fromisoformat(c.published_on),
        date.fromisoformat(c.window_end),
        c.working_days,
        c.where,
        c.actor.id,
    )
    p.publish(published, date.fromisoformat(c.today), c.actor, c.key)
    return []


def _uphold_complaint(p: Proposal, c: UpholdComplaint, s: StepServices) -> Extra:
    p.uphold_complaint(c.complaint_id, c.reason, c.actor, c.key)
    return []


def _revoke(p: Proposal, c: Revoke, s: StepServices) -> Extra:
    number, decided_on = parse_decision_number(c.number), decision_date(c.decided_on)
    ground = revocation_ground(c.ground)
    p.revoke(ground, number, decided_on, c.reason, c.prize_money, c.actor, c.key)
    return [_reservation(number, decided_on.year, p.id)]


def _record_recovery(p: Proposal, c: RecordRecovery, s: StepServices) -> Extra:
    recovery = Recovery(
        decision_date(c.recovered_on), c.certificate_returned, c.money_recovered, c.note, c.actor.id
    )
    p.record_recovery(recovery, c.actor, c.key)
    return []


# --- decide ---
def _decide_by_decision(p: Proposal, c: DecideByDecision, s: StepServices) -> Extra:
    number = parse_decision_number(c.number)
    decided_on, outcome = decision_date(c.decided_on), decision_outcome(c.outcome)
    signing = (c.signing_form, c.signer, c.on_behalf_of)
    p.decide_by_decision(
        c.decision_id, outcome, number, decided_on, signing, c.reason, c.actor, c.key
    )
    return []  # the number is held by the decision itself


# --- session ---
def _session_result(p: Proposal, c: RecordSessionResult, s: StepServices) -> Extra:
    tally = Tally(**c.tally)
    p.record_session_result(
        c.session_id, tally, c.base, Outcome(c.outcome), c.closed_at, c.actor, c.key
    )
    return []


HANDLERS: dict[type[Any], Callable[[Proposal, Any, StepServices], Extra]] = {
    Submit: _submit,
    Resubmit: _resubmit,
    OpenVote: _open_vote,
    RecordBallot: _record_ballot,
    SealBox: _seal_box,
    SubmitShare: _submit_share,
    TakeServiceShares: _take_service_shares,
    CloseVote: _close_vote,
    OpenAppraisal: _open_appraisal,
    ApproveAppraisal: _approve_appraisal,
    ReturnDossier: _return,
    MissDeadline: _miss_deadline,
    Hold: _hold,
    Release: _release,
    Withdraw: _withdraw,
    Decide: _decide,
    Forward: _forward,
    RecordExternalOutcome: _external_outcome,
    Publish: _publish,
    UpholdComplaint: _uphold_complaint,
    Revoke: _revoke,
    RecordRecovery: _record_recovery,
    DecideByDecision: _decide_by_decision,
    RecordSessionResult: _session_result,
}
_NO_SERVICES = _NoServices()


class AwardsApplication(Application[UUID]):
    """Every write loads the proposal, applies one domain command and saves the new events."""

    name = "awards"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_value_objects(transcoder)  # the proposal's state, for snapshots

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
        rulebook_version: str,
        conference: Conference | None = None,
    ) -> tuple[Proposal, bool]:
        """Create a draft (or, with ``conference``, a proposal the conference voted, in one
        save); answers (proposal, created) so a repeated request is harmless.
        Reusing a key for a different nomination is refused rather than silently ignored."""
        try:
            existing = self.proposal(proposal_id)
        except ProposalNotFound:
            pass
        else:
            same = (existing.form, existing.year, existing.title, existing.nominee.name) == (
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
            rulebook_version=rulebook_version,
        )
        if conference is not None:
            proposal.record_conference_vote(
                conference.conference_id,
                list(conference.records),
                list(conference.documents),
                actor,
                f"{key}:conference",
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

    def apply(
        self, proposal_id: UUID, commands: Sequence[Command], services: StepServices | None = None
    ) -> Proposal:
        """Apply the commands of one step and save all their events in one transaction; a step
        whose first key the proposal already holds was applied before and is not applied again."""

        def act(proposal: Proposal) -> list[Any]:
            extra: list[Any] = []
            for command in commands:
                extra += HANDLERS[type(command)](proposal, command, services or _NO_SERVICES)
            return extra

        return self._change(proposal_id, commands[0].key, act)

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
        raise DomainError("proposal {id} is changing too fast; try again", id=str(proposal_id))

    def _explain_conflict(self, extra: list[Any]) -> None:
        for item in extra:
            if isinstance(item, DecisionNumberReservation):
                try:
                    held: DecisionNumberReservation = self.repository.get(item.id)
                except AggregateNotFoundError:
                    continue
                if isinstance(held, DecisionForMany):
                    raise DomainError(
                        "decision number {number} is already used by decision {id}",
                        number=held.number,
                        id=str(held.id),
                    )
                raise DomainError(
                    "decision number {number} is already used by proposal {id}",
                    number=held.number,
                    id=str(held.proposal_id),
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

    def stored_proposal(self, proposal_id: UUID) -> Proposal:
        """The proposal replayed from its stored events alone, never from the aggregate cache
        or a snapshot: what an auditor checks must be what the store holds now."""
        proposal: Any = None
        for stored in self.domain_events(proposal_id):
            proposal = stored.mutate(proposal)  # type: ignore[attr-defined]
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
            message = Message(
                "proposal {id} did not exist at {moment}",
                id=str(proposal_id),
                moment=as_of.isoformat(),
            )
            raise ProposalNotFound(proposal_id, message)
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
