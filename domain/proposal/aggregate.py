"""The award proposal aggregate: one nomination's whole life, from draft to decision, as events.

The events are declared with the names and fields they have always been stored with, as plain
JSON data; each event's body builds the typed value objects the state is made of (replaced,
never mutated). So every stored event loads unchanged, and a snapshot holds the same values
(their transcodings are registered by the application).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError, InvalidInput
from domain.proposal.appraisal import Appraisal
from domain.proposal.decision import Decision, DecisionNumber, check_decision_date
from domain.proposal.dossier import Document, Dossier, Return
from domain.proposal.forms import AwardForm, catalogue_by_code
from domain.proposal.forwarding import (
    ExternalOutcome,
    Forwarding,
    RecordRef,
    check_external_outcome,
    parse_external_number,
    parse_letter_number,
    rulebook_code_on,
)
from domain.proposal.lifecycle import (
    APPROVED,
    VOTING,
    Step,
    VoteFacts,
    check,
    check_ballot_box,
    check_close,
    check_miss_deadline,
    check_open_appraisal,
    check_open_vote,
    check_route,
    check_seal,
    check_share,
)
from domain.proposal.nominee import Nominee
from domain.proposal.publication_steps import PublicationSteps  # --- publish ---
from domain.proposal.states import TERMINAL, DecisionOutcome, State, VoteStage
from domain.voting.ballot import Outcome, Tally, check_ballot, decide, rule_from
from domain.voting.election_key import ElectionKey, PartialDecryption, check_partial
from domain.voting.sealed_ballot import check_box, count, count_context, totals
from domain.voting.sealed_ballot import context as ballot_context
from domain.voting.vote import Sealing, SessionResult, Vote, VoteResult

VIETNAM = timezone(timedelta(hours=7))  # no daylight saving
# The kinds under which the forwarding letter and the state body's decision join the dossier.
LETTER, EXTERNAL = "forwarding_letter", "external_decision"


class Proposal(PublicationSteps):
    """A nomination of one collective or individual for one award form in one emulation year."""

    # 2: the state is made of value objects (Nominee, Dossier, Vote, ...); a snapshot taken
    # when it was dicts and lists is upcast by upcast_v1_v2.
    # 3: the rulebook version, the route of a state-level form, the conference and forwarding.
    # 4: the council session whose agenda holds it, and that session's result (upcast_v3_v4).
    class_version: ClassVar[int] = 4

    class Nominated(Aggregate.Created):
        # 2: records the rulebook version in force on the day the dossier was lodged, and
        # whether the form is forwarded to a state body; upcast_v1_v2 fills both in.
        class_version: ClassVar[int] = 2
        form: str
        year: int
        proposing_unit: str
        cluster: str
        nominee: dict[str, Any]
        title: str
        summary: str
        cluster_vote_required: bool
        required_documents: list[str]
        actor_id: str
        actor_role: str
        key: str
        rulebook_version: str
        forwarded: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """An event stored before versions were recorded: the version in force on the day
            it was stored, and the form's route as the default catalogue gives it."""
            state["rulebook_version"] = rulebook_code_on(
                state["timestamp"].astimezone(VIETNAM).date()
            )
            state["forwarded"] = _forwarded(state["form"])

    @event(Nominated)
    def __init__(
        self,
        *,
        form: str,
        year: int,
        proposing_unit: str,
        cluster: str,
        nominee: dict[str, Any],
        title: str,
        summary: str,
        cluster_vote_required: bool,
        required_documents: list[str],
        actor_id: str,
        key: str,
        rulebook_version: str,
        forwarded: bool,
    ) -> None:
        self.form = form
        self.rulebook_version = rulebook_version
        self.forwarded = forwarded
        self.year = year
        self.proposing_unit = proposing_unit
        self.cluster = cluster
        self.nominee = Nominee.from_json(nominee)
        self.title = title
        self.summary = summary
        self.cluster_vote_required = cluster_vote_required
        self.created_by = actor_id
        self.state: str = State.DRAFT.value
        self.dossier = Dossier(required=tuple(required_documents))
        self.step_keys: list[str] = [key]
        self.votes: dict[str, Vote] = {}
        self.appraisal: Appraisal | None = None
        self.returns: list[Return] = []  # a list: JSON gives a snapshot a tuple back as one
        self.decision: Decision | None = None
        self.held_from: str | None = None
        self.closing_reason: str | None = None
        self.conference_id: str | None = None
        self.conference_records: list[RecordRef] = []
        self.forwarding: Forwarding | None = None
        self.external_outcome: ExternalOutcome | None = None
        self.agenda_session: str | None = None  # the session whose agenda holds it
        self.session_result: SessionResult | None = None

    @classmethod
    def nominate(
        cls,
        *,
        id: UUID,
        form: AwardForm,
        year: int,
        proposing_unit: str,
        cluster: str,
        nominee: Mapping[str, Any],
        title: str,
        summary: str,
        actor: Actor,
        key: str,
        rulebook_version: str,
    ) -> Proposal:
        if not 2000 <= year <= 2100:
            raise InvalidInput("emulation year {year} is out of range", year=year)
        if not title.strip():
            raise InvalidInput("title is required")
        return cls._create(
            cls.Nominated,
            id=id,
            form=form.code,
            year=year,
            proposing_unit=proposing_unit,
            cluster=cluster,
            nominee=Nominee.of(form, nominee).to_json(),
            title=title.strip(),
            summary=summary.strip(),
            cluster_vote_required=form.cluster_vote,
            required_documents=list(form.required_documents),
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
            rulebook_version=rulebook_version,
            forwarded=form.forwarded,
        )

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """A snapshot of the dict-shaped state, as the typed state it stands for."""
        state["nominee"] = Nominee.from_json(state["nominee"])
        state["dossier"] = Dossier(
            required=tuple(state.pop("required_documents")),
            version=state.pop("dossier_version"),
            documents=tuple(Document.from_json(d) for d in state.pop("documents")),
        )
        state["votes"] = {stage: Vote.from_json(vote) for stage, vote in state["votes"].items()}
        state["appraisal"] = Appraisal.from_json(state["appraisal"]) if state["appraisal"] else None
        state["returns"] = [Return.from_json(r) for r in state["returns"]]
        decision = state["decision"]
        state["decision"] = None if decision is None else Decision.from_json(decision)

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """A snapshot taken before the rulebook version and the state-level route were kept."""
        state["rulebook_version"] = rulebook_code_on(
            state["_created_on"].astimezone(VIETNAM).date()
        )
        state["forwarded"] = _forwarded(state["form"])
        state["conference_id"] = None
        state["conference_records"] = []
        state["forwarding"] = None
        state["external_outcome"] = None

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        """A snapshot taken before council sessions: on no agenda, no session result."""
        state["agenda_session"] = None
        state["session_result"] = None

    # ---- queries -------------------------------------------------------------------------

    def has_step(self, key: str) -> bool:
        return key in self.step_keys

    @property
    def is_closed(self) -> bool:
        return self.state in TERMINAL

    @property
    def dossier_version(self) -> int:
        return self.dossier.version

    def vote(self, stage: VoteStage) -> Vote:
        """The vote held at a stage; refused when the proposal has had none there."""
        vote = self.votes.get(VoteStage(stage).value)
        if vote is None and stage == VoteStage.CLUSTER:
            raise DomainError("this proposal has had no cluster vote")
        if vote is None:
            raise DomainError("this proposal has had no council vote")
        return vote

    def vote_facts(self, stage: VoteStage) -> VoteFacts:
        vote = self.votes.get(VoteStage(stage).value)
        sealed = vote is not None and vote.is_sealed
        return VoteFacts(VoteStage(stage), sealed, vote.shares_missing if vote and sealed else 0)

    def cluster_approved(self) -> bool:
        cluster = self.votes.get(VoteStage.CLUSTER.value)
        return bool(cluster and cluster.result and cluster.result.approved)

    def council_closed_on(self) -> date | None:
        if self.session_result is not None:
            return self.session_result.result.closed_on
        council = self.votes.get(VoteStage.COUNCIL.value)
        return council.result.closed_on if council and council.result else None

    def _remember(self, key: str) -> None:
        self.step_keys.append(key)

    # ---- dossier -------------------------------------------------------------------------

    class DocumentAttached(Aggregate.Event):
        document: dict[str, Any]
        actor_id: str
        actor_role: str
        key: str

    def attach_document(self, document: Mapping[str, Any], actor: Actor, key: str) -> None:
        check(Step.ATTACH_DOCUMENT, self.state)
        attached = Document.of(document, self.dossier.version)
        self.trigger_event(
            self.DocumentAttached,
            document=attached.to_json(),
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event(DocumentAttached)
    def _document_attached(self, document: dict[str, Any], key: str) -> None:
        self.dossier = self.dossier.with_document(Document.from_json(document))
        self._remember(key)

    class DossierVouched(Aggregate.Event):
        """What a submission, a resubmission and an approved appraisal record alike: the
        dossier version they vouch for, by its documents' hashes."""

        dossier_version: int
        document_hashes: list[str]
        comment: str
        actor_id: str
        actor_role: str
        key: str

    class Submitted(DossierVouched):
        pass

    def submit(self, actor: Actor, key: str, comment: str = "") -> None:
        check(Step.SUBMIT, self.state)
        if self.dossier.missing:
            raise DomainError(
                "the dossier is incomplete: missing {kinds}",
                kinds=", ".join(self.dossier.missing),
            )
        self.trigger_event(self.Submitted, **self._vouched(), comment=comment, **_by(actor, key))

    @event(Submitted)
    def _submitted(self, key: str) -> None:
        self.state = State.SUBMITTED.value
        self._remember(key)

    class Resubmitted(DossierVouched):
        pass

    def resubmit(self, actor: Actor, key: str, comment: str = "") -> None:
        check(Step.RESUBMIT, self.state)
        if not self.dossier.current:
            raise DomainError(
                "attach at least one supplementary document to dossier version {version}"
                " before resubmitting",
                version=self.dossier.version,
            )
        self.trigger_event(self.Resubmitted, **self._vouched(), comment=comment, **_by(actor, key))

    @event(Resubmitted)
    def _resubmitted(self, key: str) -> None:
        self.state = State.SUBMITTED.value
        self._remember(key)

    def _vouched(self) -> dict[str, Any]:
        """The dossier version a step vouches for, with its documents' hashes."""
        return {"dossier_version": self.dossier.version, "document_hashes": self.dossier.hashes}

    # ---- votes ---------------------------------------------------------------------------

    class VoteOpened(Aggregate.Event):
        stage: str
        electorate: list[str]
        rule: dict[str, Any]
        deadline: datetime
        election_key: dict[str, Any]
        actor_id: str
        actor_role: str
        key: str

    def open_vote(
        self,
        stage: VoteStage,
        electorate: list[str],
        rule: dict[str, Any],
        deadline: datetime,
        election_key: dict[str, Any],
        actor: Actor,
        key: str,
    ) -> None:
        stage = VoteStage(stage)
        check_open_vote(self.state, stage, self.cluster_vote_required, self.form)
        ElectionKey.from_json(election_key)  # ballots will be sealed under it: check it now
        rule_from(rule)  # a rule no close could apply is refused now, not at closing
        if len(set(electorate)) != len(electorate):
            raise InvalidInput("the electorate lists a member twice")
        self.trigger_event(
            self.VoteOpened,
            stage=stage.value,
            electorate=list(electorate),
            rule=rule,
            deadline=deadline,
            election_key=election_key,
            **_by(actor, key),
        )

    @event(VoteOpened)
    def _vote_opened(
        self,
        stage: str,
        electorate: list[str],
        rule: dict[str, Any],
        deadline: datetime,
        election_key: dict[str, Any],
        key: str,
    ) -> None:
        self.votes[stage] = Vote(tuple(electorate), rule_from(rule), deadline, election_key)
        self.state = VOTING[VoteStage(stage)].value
        self._remember(key)

    class BallotRecorded(Aggregate.Event):
        stage: str
        voter: str
        actor_id: str
        actor_role: str
        key: str

    def record_ballot(self, stage: VoteStage, voter: str, actor: Actor, key: str) -> None:
        """Record that a member voted; the choice itself never reaches the aggregate."""
        stage = VoteStage(stage)
        check_ballot_box(self.state, self.vote_facts(stage))
        vote = self.vote(stage)
        check_ballot(voter, vote.electorate, vote.voted)
        self.trigger_event(self.BallotRecorded, stage=stage.value, voter=voter, **_by(actor, key))

    @event(BallotRecorded)
    def _ballot_recorded(self, stage: str, voter: str, key: str) -> None:
        self.votes[stage] = self.votes[stage].with_ballot(voter)
        self._remember(key)

    def ballot_context(self, stage: VoteStage) -> str:
        """What every sealed ballot and decryption share of this vote is bound to."""
        return ballot_context(self.id, VoteStage(stage).value, self.vote(stage).key())

    class BallotBoxSealed(Aggregate.Event):
        stage: str
        box: list[dict[str, Any]]
        reason: str
        closed_at: datetime
        actor_id: str
        actor_role: str
        key: str

    def seal_box(
        self,
        stage: VoteStage,
        box: list[dict[str, Any]],
        reason: str,
        closed_at: datetime,
        actor: Actor,
        key: str,
    ) -> None:
        """Close a vote to ballots with its box of sealed ballots: one per recorded voter,
        each proved to hold exactly one choice, under a receipt hash and never a name."""
        stage = VoteStage(stage)
        check_seal(self.state, self.vote_facts(stage))
        vote = self.vote(stage)
        check_box(box, len(vote.voted), vote.key(), self.ballot_context(stage))
        # Sorted by receipt, so the box's order says nothing about the order of voting.
        anonymous = sorted(
            ({"receipt": e["receipt"], "ballot": e["ballot"]} for e in box),
            key=lambda e: e["receipt"],
        )
        self.trigger_event(
            self.BallotBoxSealed,
            stage=stage.value,
            box=anonymous,
            reason=reason,
            closed_at=closed_at,
            **_by(actor, key),
        )

    @event(BallotBoxSealed)
    def _box_sealed(
        self, stage: str, box: list[dict[str, Any]], reason: str, closed_at: datetime, key: str
    ) -> None:
        self.votes[stage] = self.votes[stage].with_box(box, Sealing(reason, closed_at))
        self._remember(key)

    class TallyShareSubmitted(Aggregate.Event):
        stage: str
        share: dict[str, Any]
        actor_id: str
        actor_role: str
        key: str

    def submit_share(self, stage: VoteStage, share: dict[str, Any], actor: Actor, key: str) -> None:
        """A trustee's decryption share of the sealed totals, checked by its proof."""
        stage = VoteStage(stage)
        check_share(self.state, self.vote_facts(stage))
        vote = self.vote(stage)
        part = PartialDecryption.from_json(share)
        if part.trustee in vote.trustees:
            raise InvalidInput("trustee {trustee} has already given a share", trustee=part.trustee)
        encrypted = totals(vote.sealed_box())
        check_partial(vote.key(), encrypted, part, count_context(self.ballot_context(stage)))
        self.trigger_event(
            self.TallyShareSubmitted, stage=stage.value, share=part.to_json(), **_by(actor, key)
        )

    @event(TallyShareSubmitted)
    def _share_submitted(self, stage: str, share: dict[str, Any], key: str) -> None:
        self.votes[stage] = self.votes[stage].with_share(share)
        self._remember(key)

    def count(self, stage: VoteStage) -> Tally:
        """Open the sealed totals with the trustees' shares; no ballot is opened alone."""
        vote = self.vote(stage)
        box = vote.sealed_box()
        if not box:
            return Tally()
        parts = [PartialDecryption.from_json(share) for share in vote.shares]
        return count(vote.key(), totals(box), parts, len(box), self.ballot_context(stage))

    class VoteClosed(Aggregate.Event):
        stage: str
        tally: dict[str, int]
        outcome: str
        reason: str
        closed_at: datetime
        actor_id: str
        actor_role: str
        key: str

    def close_vote(self, stage: VoteStage, actor: Actor, key: str) -> None:
        """Open the count and record the outcome; it follows from the sealed box under the
        rule recorded when the vote opened, so no one can record a different one."""
        stage = VoteStage(stage)
        check_close(self.state, self.vote_facts(stage))
        vote = self.vote(stage)
        assert vote.sealing is not None  # check_close refuses an unsealed box
        counted = self.count(stage)
        outcome = decide(vote.rule, len(vote.electorate), counted)
        self.trigger_event(
            self.VoteClosed,
            stage=stage.value,
            tally={"yes": counted.yes, "no": counted.no, "abstain": counted.abstain},
            outcome=Outcome(outcome).value,
            reason=vote.sealing.reason,
            closed_at=vote.sealing.closed_at,
            **_by(actor, key),
        )

    @event(VoteClosed)
    def _vote_closed(
        self,
        stage: str,
        tally: dict[str, int],
        outcome: str,
        reason: str,
        closed_at: datetime,
        key: str,
    ) -> None:
        # The calendar day in Vietnam, where the decision will be dated.
        closed_on = closed_at.astimezone(VIETNAM).date()
        result = VoteResult(Tally(**tally), Outcome(outcome), reason, closed_on)
        self.votes[stage] = self.votes[stage].with_result(result)
        if result.approved:
            self.state = APPROVED[VoteStage(stage)].value
        else:
            self.state = State.REJECTED.value
            self.closing_reason = f"{stage} vote: {outcome}"
        self._remember(key)

    # ---- appraisal -----------------------------------------------------------------------

    class AppraisalOpened(Aggregate.Event):
        dossier_version: int
        deadline: datetime
        actor_id: str
        actor_role: str
        key: str

    def open_appraisal(self, deadline: datetime, actor: Actor, key: str) -> None:
        check_open_appraisal(self.state, self.cluster_vote_required, self.cluster_approved())
        self.trigger_event(
            self.AppraisalOpened,
            dossier_version=self.dossier.version,
            deadline=deadline,
            **_by(actor, key),
        )

    @event(AppraisalOpened)
    def _appraisal_opened(self, dossier_version: int, deadline: datetime, key: str) -> None:
        self.appraisal = Appraisal(dossier_version, deadline)
        self.state = State.APPRAISAL.value
        self._remember(key)

    class AppraisalApproved(DossierVouched):
        pass

    def approve_appraisal(self, actor: Actor, key: str, comment: str = "") -> None:
        check(Step.APPROVE_APPRAISAL, self.state)
        self.trigger_event(
            self.AppraisalApproved, **self._vouched(), comment=comment, **_by(actor, key)
        )

    @event(AppraisalApproved)
    def _appraisal_approved(self, key: str) -> None:
        self.state = State.APPRAISED.value
        self._remember(key)

    class ReturnedForSupplements(Aggregate.Event):
        reason: str
        dossier_version: int
        actor_id: str
        actor_role: str
        key: str

    def return_for_supplements(self, reason: str, actor: Actor, key: str) -> None:
        check(Step.RETURN, self.state, reason)
        self.trigger_event(
            self.ReturnedForSupplements,
            reason=reason.strip(),
            dossier_version=self.dossier.version,
            **_by(actor, key),
        )

    @event(ReturnedForSupplements)
    def _returned(self, reason: str, dossier_version: int, actor_id: str, key: str) -> None:
        self.returns.append(Return(reason, dossier_version, actor_id))
        self.dossier = self.dossier.next_version(dossier_version)
        self.state = State.RETURNED.value
        self._remember(key)

    # ---- deadlines, hold, withdrawal, decision -------------------------------------------

    class DeadlineMissed(Aggregate.Event):
        step: str
        deadline: datetime
        actor_id: str
        actor_role: str
        key: str

    def miss_deadline(self, step: str, deadline: datetime, actor: Actor, key: str) -> None:
        check_miss_deadline(self.state, step)
        self.trigger_event(self.DeadlineMissed, step=step, deadline=deadline, **_by(actor, key))

    @event(DeadlineMissed)
    def _deadline_missed(self, step: str, key: str) -> None:
        if step == "appraisal" and self.appraisal is not None:
            self.appraisal = self.appraisal.missed()
        self._remember(key)

    class PutOnHold(Aggregate.Event):
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def hold(self, reason: str, actor: Actor, key: str) -> None:
        check(Step.HOLD, self.state, reason)
        self.trigger_event(self.PutOnHold, reason=reason.strip(), **_by(actor, key))

    @event(PutOnHold)
    def _held(self, key: str) -> None:
        self.held_from = self.state
        self.state = State.ON_HOLD.value
        self._remember(key)

    class Released(Aggregate.Event):
        reason: str
        resumed_state: str
        actor_id: str
        actor_role: str
        key: str

    def release(self, reason: str, actor: Actor, key: str) -> None:
        check(Step.RELEASE, self.state)
        self.trigger_event(
            self.Released,
            reason=reason.strip(),
            resumed_state=self.held_from or State.DRAFT.value,
            **_by(actor, key),
        )

    @event(Released)
    def _released(self, resumed_state: str, key: str) -> None:
        self.state = resumed_state
        self.held_from = None
        self._remember(key)

    class Withdrawn(Aggregate.Event):
        reason: str
        previous_state: str
        actor_id: str
        actor_role: str
        key: str

    def withdraw(self, reason: str, actor: Actor, key: str) -> None:
        check(Step.WITHDRAW, self.state)
        self.trigger_event(
            self.Withdrawn, reason=reason.strip(), previous_state=self.state, **_by(actor, key)
        )

    @event(Withdrawn)
    def _withdrawn(self, reason: str, key: str) -> None:
        self.state = State.WITHDRAWN.value
        self.closing_reason = reason or "withdrawn"
        self._remember(key)

    class Decided(Aggregate.Event):
        outcome: str
        number: str
        number_key: str
        decided_on: str
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def decide(
        self,
        outcome: DecisionOutcome,
        number: DecisionNumber,
        decided_on: date,
        reason: str,
        actor: Actor,
        key: str,
    ) -> None:
        check_route(Step.DECIDE, self.state, self.forwarded)
        check_decision_date(decided_on, self.council_closed_on())
        if decided_on.year not in (self.year, self.year + 1):
            raise InvalidInput(
                "a decision on emulation year {year} is dated {year} or {next_year}",
                year=self.year,
                next_year=self.year + 1,
            )
        self.trigger_event(
            self.Decided,
            outcome=DecisionOutcome(outcome).value,
            number=str(number),
            number_key=number.key(decided_on.year),
            decided_on=decided_on.isoformat(),
            reason=reason.strip(),
            **_by(actor, key),
        )

    @event(Decided)
    def _decided(
        self, outcome: str, number: str, decided_on: str, reason: str, actor_id: str, key: str
    ) -> None:
        self._record_decision(outcome, number, decided_on, reason, actor_id, key)

    def _record_decision(
        self, outcome: str, number: str, decided_on: str, reason: str, by: str, key: str
    ) -> None:
        """The state a decision leaves, single or for many (called only by event bodies)."""
        self.decision = Decision(
            DecisionOutcome(outcome), number, date.fromisoformat(decided_on), reason, by
        )
        self.state = State.DECIDED.value
        self.closing_reason = f"decision {number}: {outcome}"
        self._remember(key)

    # --- decide ---
    class DecidedByDecision(Aggregate.Event):
        """Decided by a decision for many: awarded on its annex, or rejected when left off it
        with a reason. The number belongs to the Decision aggregate (decision_id), not here."""

        decision_id: str
        outcome: str
        number: str
        decided_on: str
        reason: str
        signing_form: str
        signer: str
        on_behalf_of: str
        actor_id: str
        actor_role: str
        key: str

    def decide_by_decision(
        self,
        decision_id: str,
        outcome: DecisionOutcome,
        number: DecisionNumber,
        decided_on: date,
        signing: tuple[str, str, str],
        reason: str,
        actor: Actor,
        key: str,
    ) -> None:
        """``signing``: the signing form, the signer, and the holder signed for (both names
        are kept when a deputy signs)."""
        check_route(Step.DECIDE_BY_DECISION, self.state, self.forwarded)
        check_decision_date(decided_on, self.council_closed_on())
        if outcome == DecisionOutcome.REJECTED and not reason.strip():
            raise InvalidInput("a reason is required to leave a proposal off a decision")
        self.trigger_event(
            self.DecidedByDecision,
            decision_id=decision_id,
            outcome=DecisionOutcome(outcome).value,
            number=str(number),
            decided_on=decided_on.isoformat(),
            reason=reason.strip(),
            signing_form=signing[0],
            signer=signing[1],
            on_behalf_of=signing[2],
            **_by(actor, key),
        )

    @event(DecidedByDecision)
    def _decided_by_decision(
        self, outcome: str, number: str, decided_on: str, reason: str, signer: str, key: str
    ) -> None:
        self._record_decision(outcome, number, decided_on, reason, signer, key)

    # ---- the conference's vote, and a state-level form's route after the council ----------

    class ConferenceVoteHeld(Aggregate.Event):
        """The cluster's year-end conference voted this nomination: it starts past the cluster
        vote, with the conference's records (minutes, ballot count) in its dossier."""

        conference_id: str
        records: list[dict[str, str]]
        documents: list[dict[str, Any]]
        actor_id: str
        actor_role: str
        key: str

    def record_conference_vote(
        self,
        conference_id: str,
        records: list[RecordRef],
        documents: list[Mapping[str, Any]],
        actor: Actor,
        key: str,
    ) -> None:
        # Any form the conference carried (a Flag, or a Certificate voted on its list) starts
        # past the cluster vote: the conference's ballot was that vote.
        check(Step.RECORD_CONFERENCE_VOTE, self.state)
        if not conference_id.strip():
            raise InvalidInput("the conference id is required")
        attached = [Document.of(document, self.dossier.version) for document in documents]
        if {d.sha256 for d in attached} != {r.sha256 for r in records}:
            raise InvalidInput("every conference record needs its stored document")
        self.trigger_event(
            self.ConferenceVoteHeld,
            conference_id=conference_id.strip(),
            records=[record.to_json() for record in records],
            documents=[document.to_json() for document in attached],
            **_by(actor, key),
        )

    @event(ConferenceVoteHeld)
    def _conference_voted(
        self,
        conference_id: str,
        records: list[dict[str, str]],
        documents: list[dict[str, Any]],
        key: str,
    ) -> None:
        self.conference_id = conference_id
        self.conference_records = [RecordRef.from_json(r) for r in records]
        for document in documents:
            self.dossier = self.dossier.with_document(Document.from_json(document))
        self.state = State.CLUSTER_APPROVED.value
        self._remember(key)

    class Forwarded(Aggregate.Event):
        letter_number: str
        sent_on: str
        recipient: str
        letter: dict[str, Any]
        actor_id: str
        actor_role: str
        key: str

    def forward(
        self,
        letter_number: str,
        sent_on: date,
        recipient: str,
        letter: Mapping[str, Any],
        actor: Actor,
        key: str,
    ) -> None:
        """Send a council-approved state-level form on, with its forwarding letter (tờ trình)."""
        check_route(Step.FORWARD, self.state, self.forwarded)
        if not recipient.strip():
            raise InvalidInput("the forwarding letter's recipient is required")
        check_decision_date(sent_on, self.council_closed_on())
        self.trigger_event(
            self.Forwarded,
            letter_number=parse_letter_number(letter_number),
            sent_on=sent_on.isoformat(),
            recipient=recipient.strip(),
            letter=Document.of({**letter, "kind": LETTER}, self.dossier.version).to_json(),
            **_by(actor, key),
        )

    @event(Forwarded)
    def _forwarded(
        self,
        letter_number: str,
        sent_on: str,
        recipient: str,
        letter: dict[str, Any],
        actor_id: str,
        key: str,
    ) -> None:
        document = Document.from_json(letter)
        self.dossier = self.dossier.with_document(document)
        sent = date.fromisoformat(sent_on)
        self.forwarding = Forwarding(letter_number, sent, recipient, document.sha256, actor_id)
        self.state = State.FORWARDED.value
        self._remember(key)

    class ExternalOutcomeRecorded(Aggregate.Event):
        outcome: str
        number: str
        decided_on: str
        issuer: str
        document: dict[str, Any]
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def record_external_outcome(
        self,
        outcome: DecisionOutcome,
        number: str,
        decided_on: date,
        issuer: str,
        document: Mapping[str, Any],
        actor: Actor,
        key: str,
        reason: str = "",
    ) -> None:
        """The state body's decision on a forwarded proposal, with its document."""
        check_route(Step.RECORD_EXTERNAL_OUTCOME, self.state, self.forwarded)
        sent_on = self.forwarding.sent_on if self.forwarding else None
        check_external_outcome(decided_on, sent_on, issuer)
        self.trigger_event(
            self.ExternalOutcomeRecorded,
            outcome=DecisionOutcome(outcome).value,
            number=parse_external_number(number),
            decided_on=decided_on.isoformat(),
            issuer=issuer.strip(),
            document=Document.of({**document, "kind": EXTERNAL}, self.dossier.version).to_json(),
            reason=reason.strip(),
            **_by(actor, key),
        )

    @event(ExternalOutcomeRecorded)
    def _external_outcome(
        self,
        outcome: str,
        number: str,
        decided_on: str,
        issuer: str,
        document: dict[str, Any],
        actor_id: str,
        key: str,
    ) -> None:
        recorded = Document.from_json(document)
        self.dossier = self.dossier.with_document(recorded)
        self.external_outcome = ExternalOutcome(
            DecisionOutcome(outcome),
            number,
            date.fromisoformat(decided_on),
            issuer,
            recorded.sha256,
            actor_id,
        )
        self.state = State.EXTERNALLY_DECIDED.value
        self.closing_reason = f"{issuer} {number}: {outcome}"
        self._remember(key)

    # --- session: the council session's agenda and its line's result ----------------------

    class PutOnAgenda(Aggregate.Event):
        session_id: str
        actor_id: str
        actor_role: str
        key: str

    def put_on_agenda(self, session_id: str, actor: Actor, key: str) -> None:
        """An appraised proposal joins one session's agenda; one open session at a time."""
        check(Step.PUT_ON_AGENDA, self.state)
        if self.agenda_session is not None:
            raise DomainError(
                "the proposal is on the agenda of session {session} already",
                session=self.agenda_session,
            )
        self.trigger_event(self.PutOnAgenda, session_id=session_id, **_by(actor, key))

    @event(PutOnAgenda)
    def _put_on_agenda(self, session_id: str, key: str) -> None:
        self.agenda_session = session_id
        self._remember(key)

    class TakenOffAgenda(Aggregate.Event):
        session_id: str
        reason: str
        actor_id: str
        actor_role: str
        key: str

    def take_off_agenda(self, session_id: str, reason: str, actor: Actor, key: str) -> None:
        check(Step.TAKE_OFF_AGENDA, self.state)
        self._on_agenda_of(session_id)
        self.trigger_event(
            self.TakenOffAgenda, session_id=session_id, reason=reason.strip(), **_by(actor, key)
        )

    @event(TakenOffAgenda)
    def _taken_off_agenda(self, key: str) -> None:
        self.agenda_session = None
        self._remember(key)

    def _on_agenda_of(self, session_id: str) -> None:
        if self.agenda_session != session_id:
            raise DomainError(
                "the proposal is not on the agenda of session {session}", session=session_id
            )

    class SessionResultRecorded(Aggregate.Event):
        """The session's count of this proposal's line, judged by its council rule: the
        proposal moves on as after its own council vote (approved or rejected)."""

        session_id: str
        tally: dict[str, int]
        base: int
        outcome: str
        closed_at: datetime
        actor_id: str
        actor_role: str
        key: str

    def record_session_result(
        self,
        session_id: str,
        tally: Tally,
        base: int,
        outcome: Outcome,
        closed_at: datetime,
        actor: Actor,
        key: str,
    ) -> None:
        check(Step.RECORD_SESSION_RESULT, self.state)
        self._on_agenda_of(session_id)
        self.trigger_event(
            self.SessionResultRecorded,
            session_id=session_id,
            tally={"yes": tally.yes, "no": tally.no, "abstain": tally.abstain},
            base=base,
            outcome=Outcome(outcome).value,
            closed_at=closed_at,
            **_by(actor, key),
        )

    @event(SessionResultRecorded)
    def _session_result(
        self, session_id: str, tally: dict[str, int], outcome: str, closed_at: datetime, key: str
    ) -> None:
        closed_on = closed_at.astimezone(VIETNAM).date()
        result = VoteResult(Tally(**tally), Outcome(outcome), f"session {session_id}", closed_on)
        self.session_result = SessionResult(session_id, result)
        self.agenda_session = None
        if result.approved:
            self.state = State.COUNCIL_APPROVED.value
        else:
            self.state = State.REJECTED.value
            self.closing_reason = f"council session: {outcome}"
        self._remember(key)


def _forwarded(form: str) -> bool:
    """Whether the default catalogue forwards a form: what events stored before it was
    recorded stood for (a form no longer in the catalogue was never forwarded)."""
    known = catalogue_by_code().get(form)
    return known is not None and known.forwarded


def _by(actor: Actor, key: str) -> dict[str, str]:
    """Who takes a step, and the step's idempotency key: the last fields of every event."""
    return {"actor_id": actor.id, "actor_role": actor.role, "key": key}


class DecisionNumberReservation(Aggregate):
    """Holds one decision number for one issuer and year; its id is derived from the number,
    so a second reservation of the same number conflicts in the event store."""

    @event("Reserved")
    def __init__(self, *, id: UUID, number: str, number_key: str, proposal_id: UUID) -> None:
        self.number = number
        self.number_key = number_key
        self.proposal_id = proposal_id
