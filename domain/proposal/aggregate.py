"""The award proposal aggregate: one nomination's whole life, from draft to decision, as events."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.kernel.actor import Actor
from domain.kernel.errors import DomainError, InvalidInput
from domain.proposal.decision import DecisionNumber, check_decision_date
from domain.proposal.forms import AwardForm, NomineeKind
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
    check_seal,
    check_share,
)
from domain.proposal.states import TERMINAL, DecisionOutcome, State, VoteStage
from domain.voting.ballot import Outcome, Tally, check_ballot, decide, rule_from
from domain.voting.election_key import ElectionKey, PartialDecryption, check_partial
from domain.voting.sealed_ballot import SealedBallot, check_box, count, count_context, totals
from domain.voting.sealed_ballot import context as ballot_context

VIETNAM = timezone(timedelta(hours=7))  # no daylight saving


def check_nominee(form: AwardForm, nominee: dict[str, Any]) -> dict[str, Any]:
    """A nominee is a collective unit or an individual, of a kind the award form admits."""
    kind = nominee.get("kind")
    if kind not in {k.value for k in NomineeKind}:
        raise InvalidInput("nominee.kind must be 'collective' or 'individual'")
    if kind not in form.nominee_kinds:
        allowed = " or ".join(form.nominee_kinds)
        raise InvalidInput(f"{form.name_en} is awarded to a {allowed} nominee, not a {kind}")
    name = str(nominee.get("name", "")).strip()
    if not name:
        raise InvalidInput("nominee.name is required")
    cleaned = {"kind": kind, "name": name}
    for optional in ("unit_id", "position", "gender"):
        if nominee.get(optional):
            cleaned[optional] = str(nominee[optional]).strip()
    return cleaned


class Proposal(Aggregate):
    """A nomination of one collective or individual for one award form in one emulation year."""

    @event("Nominated")
    def __init__(
        self,
        *,
        id: UUID,
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
        actor_role: str,
        key: str,
    ) -> None:
        self.form = form
        self.year = year
        self.proposing_unit = proposing_unit
        self.cluster = cluster
        self.nominee = nominee
        self.title = title
        self.summary = summary
        self.cluster_vote_required = cluster_vote_required
        self.required_documents = required_documents
        self.created_by = actor_id
        self.state: str = State.DRAFT.value
        self.dossier_version = 1
        self.documents: list[dict[str, Any]] = []
        self.step_keys: list[str] = [key]
        self.votes: dict[str, dict[str, Any]] = {}
        self.appraisal: dict[str, Any] = {}
        self.returns: list[dict[str, Any]] = []
        self.decision: dict[str, Any] | None = None
        self.held_from: str | None = None
        self.closing_reason: str | None = None

    @classmethod
    def nominate(
        cls,
        *,
        id: UUID,
        form: AwardForm,
        year: int,
        proposing_unit: str,
        cluster: str,
        nominee: dict[str, Any],
        title: str,
        summary: str,
        actor: Actor,
        key: str,
    ) -> Proposal:
        if not 2000 <= year <= 2100:
            raise InvalidInput(f"emulation year {year} is out of range")
        if not title.strip():
            raise InvalidInput("title is required")
        return cls(
            id=id,
            form=form.code,
            year=year,
            proposing_unit=proposing_unit,
            cluster=cluster,
            nominee=check_nominee(form, nominee),
            title=title.strip(),
            summary=summary.strip(),
            cluster_vote_required=form.cluster_vote,
            required_documents=list(form.required_documents),
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    # ---- queries -------------------------------------------------------------------------

    def has_step(self, key: str) -> bool:
        return key in self.step_keys

    @property
    def is_closed(self) -> bool:
        return self.state in TERMINAL

    def current_documents(self) -> list[dict[str, Any]]:
        return [d for d in self.documents if d["dossier_version"] == self.dossier_version]

    def missing_documents(self) -> list[str]:
        present = {d["kind"] for d in self.documents}
        return [kind for kind in self.required_documents if kind not in present]

    def document_hashes(self) -> list[str]:
        return [d["sha256"] for d in self.current_documents()]

    def vote_facts(self, stage: VoteStage) -> VoteFacts:
        vote = self.votes.get(VoteStage(stage).value)
        sealed = bool(vote and vote["sealed"])
        return VoteFacts(VoteStage(stage), sealed, self.shares_missing(stage) if sealed else 0)

    def cluster_approved(self) -> bool:
        cluster = self.votes.get(VoteStage.CLUSTER.value)
        return bool(cluster and (cluster["result"] or {}).get("outcome") == Outcome.APPROVED)

    def _remember(self, key: str) -> None:
        self.step_keys.append(key)

    # ---- dossier -------------------------------------------------------------------------

    def attach_document(self, document: dict[str, Any], actor: Actor, key: str) -> None:
        check(Step.ATTACH_DOCUMENT, self.state)
        for field in ("name", "media_type", "sha256", "kind"):
            if not str(document.get(field, "")).strip():
                raise InvalidInput(f"document.{field} is required")
        if int(document.get("size", 0)) <= 0:
            raise InvalidInput("an empty document cannot be attached")
        self._document_attached(
            document={**document, "dossier_version": self.dossier_version},
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("DocumentAttached")
    def _document_attached(
        self, document: dict[str, Any], actor_id: str, actor_role: str, key: str
    ) -> None:
        self.documents.append(document)
        self._remember(key)

    def submit(self, actor: Actor, key: str, comment: str = "") -> None:
        check(Step.SUBMIT, self.state)
        missing = self.missing_documents()
        if missing:
            raise DomainError(
                "the dossier is incomplete: missing {kinds}", kinds=", ".join(missing)
            )
        self._submitted(
            dossier_version=self.dossier_version,
            document_hashes=self.document_hashes(),
            comment=comment,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("Submitted")
    def _submitted(
        self,
        dossier_version: int,
        document_hashes: list[str],
        comment: str,
        actor_id: str,
        actor_role: str,
        key: str,
    ) -> None:
        self.state = State.SUBMITTED.value
        self._remember(key)

    def resubmit(self, actor: Actor, key: str, comment: str = "") -> None:
        check(Step.RESUBMIT, self.state)
        if not self.current_documents():
            raise DomainError(
                f"attach at least one supplementary document to dossier version"
                f" {self.dossier_version} before resubmitting"
            )
        self._resubmitted(
            dossier_version=self.dossier_version,
            document_hashes=self.document_hashes(),
            comment=comment,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("Resubmitted")
    def _resubmitted(
        self,
        dossier_version: int,
        document_hashes: list[str],
        comment: str,
        actor_id: str,
        actor_role: str,
        key: str,
    ) -> None:
        self.state = State.SUBMITTED.value
        self._remember(key)

    # ---- votes ---------------------------------------------------------------------------

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
        self._vote_opened(
            stage=stage.value,
            electorate=list(electorate),
            rule=rule,
            deadline=deadline,
            election_key=election_key,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("VoteOpened")
    def _vote_opened(
        self,
        stage: str,
        electorate: list[str],
        rule: dict[str, Any],
        deadline: datetime,
        election_key: dict[str, Any],
        actor_id: str,
        actor_role: str,
        key: str,
    ) -> None:
        self.votes[stage] = {
            "electorate": electorate,
            "voted": [],
            "rule": rule,
            "deadline": deadline,
            "election_key": election_key,
            "box": None,  # sealed ballots, once the vote closes to ballots
            "sealed": None,
            "shares": [],  # trustees' decryption shares of the totals
            "result": None,
        }
        self.state = VOTING[VoteStage(stage)].value
        self._remember(key)

    def record_ballot(self, stage: VoteStage, voter: str, actor: Actor, key: str) -> None:
        """Record that a member voted; the choice itself never reaches the aggregate."""
        stage = VoteStage(stage)
        check_ballot_box(self.state, self.vote_facts(stage))
        vote = self.votes[stage]
        check_ballot(voter, vote["electorate"], vote["voted"])
        self._ballot_recorded(
            stage=stage.value, voter=voter, actor_id=actor.id, actor_role=actor.role, key=key
        )

    @event("BallotRecorded")
    def _ballot_recorded(
        self, stage: str, voter: str, actor_id: str, actor_role: str, key: str
    ) -> None:
        self.votes[stage]["voted"].append(voter)
        self._remember(key)

    def election_key(self, stage: VoteStage) -> ElectionKey:
        return ElectionKey.from_json(self.votes[VoteStage(stage).value]["election_key"])

    def ballot_context(self, stage: VoteStage) -> str:
        """What every sealed ballot and decryption share of this vote is bound to."""
        return ballot_context(self.id, VoteStage(stage).value, self.election_key(stage))

    def sealed_box(self, stage: VoteStage) -> list[SealedBallot]:
        box = self.votes[VoteStage(stage).value]["box"] or []
        return [SealedBallot.from_json(entry["ballot"]) for entry in box]

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
        vote = self.votes[stage]
        check_box(box, len(vote["voted"]), self.election_key(stage), self.ballot_context(stage))
        # Sorted by receipt, so the box's order says nothing about the order of voting.
        anonymous = sorted(
            ({"receipt": e["receipt"], "ballot": e["ballot"]} for e in box),
            key=lambda e: e["receipt"],
        )
        self._box_sealed(
            stage=stage.value,
            box=anonymous,
            reason=reason,
            closed_at=closed_at,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("BallotBoxSealed")
    def _box_sealed(
        self,
        stage: str,
        box: list[dict[str, Any]],
        reason: str,
        closed_at: datetime,
        actor_id: str,
        actor_role: str,
        key: str,
    ) -> None:
        self.votes[stage]["box"] = box
        self.votes[stage]["sealed"] = {"reason": reason, "closed_at": closed_at}
        self._remember(key)

    def submit_share(self, stage: VoteStage, share: dict[str, Any], actor: Actor, key: str) -> None:
        """A trustee's decryption share of the sealed totals, checked by its proof."""
        stage = VoteStage(stage)
        check_share(self.state, self.vote_facts(stage))
        vote = self.votes[stage]
        part = PartialDecryption.from_json(share)
        if any(given["trustee"] == part.trustee for given in vote["shares"]):
            raise InvalidInput(f"trustee {part.trustee} has already given a share")
        encrypted = totals(self.sealed_box(stage))
        check_partial(
            self.election_key(stage), encrypted, part, count_context(self.ballot_context(stage))
        )
        self._share_submitted(
            stage=stage.value,
            share=part.to_json(),
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("TallyShareSubmitted")
    def _share_submitted(
        self, stage: str, share: dict[str, Any], actor_id: str, actor_role: str, key: str
    ) -> None:
        self.votes[stage]["shares"].append(share)
        self._remember(key)

    def shares_missing(self, stage: VoteStage) -> int:
        """How many more trustees must give a share before the count can be opened."""
        vote = self.votes[VoteStage(stage).value]
        if not vote["box"]:
            return 0  # an empty box counts zero without opening anything
        return max(0, self.election_key(stage).threshold - len(vote["shares"]))

    def count(self, stage: VoteStage) -> Tally:
        """Open the sealed totals with the trustees' shares; no ballot is opened alone."""
        stage = VoteStage(stage)
        vote = self.votes[stage]
        box = self.sealed_box(stage)
        if not box:
            return Tally()
        parts = [PartialDecryption.from_json(share) for share in vote["shares"]]
        return count(
            self.election_key(stage), totals(box), parts, len(box), self.ballot_context(stage)
        )

    def close_vote(self, stage: VoteStage, actor: Actor, key: str) -> None:
        """Open the count and record the outcome; it follows from the sealed box under the
        rule recorded when the vote opened, so no one can record a different one."""
        stage = VoteStage(stage)
        check_close(self.state, self.vote_facts(stage))
        vote = self.votes[stage]
        counted = self.count(stage)
        outcome = decide(rule_from(vote["rule"]), len(vote["electorate"]), counted)
        self._vote_closed(
            stage=stage.value,
            tally={"yes": counted.yes, "no": counted.no, "abstain": counted.abstain},
            outcome=Outcome(outcome).value,
            reason=vote["sealed"]["reason"],
            closed_at=vote["sealed"]["closed_at"],
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("VoteClosed")
    def _vote_closed(
        self,
        stage: str,
        tally: dict[str, int],
        outcome: str,
        reason: str,
        closed_at: datetime,
        actor_id: str,
        actor_role: str,
        key: str,
    ) -> None:
        self.votes[stage]["result"] = {
            "tally": tally,
            "outcome": outcome,
            "reason": reason,
            # The calendar day in Vietnam, where the decision will be dated.
            "closed_on": closed_at.astimezone(VIETNAM).date().isoformat(),
        }
        if outcome == Outcome.APPROVED:
            self.state = APPROVED[VoteStage(stage)].value
        else:
            self.state = State.REJECTED.value
            self.closing_reason = f"{stage} vote: {outcome}"
        self._remember(key)

    # ---- appraisal -----------------------------------------------------------------------

    def open_appraisal(self, deadline: datetime, actor: Actor, key: str) -> None:
        check_open_appraisal(self.state, self.cluster_vote_required, self.cluster_approved())
        self._appraisal_opened(
            dossier_version=self.dossier_version,
            deadline=deadline,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("AppraisalOpened")
    def _appraisal_opened(
        self, dossier_version: int, deadline: datetime, actor_id: str, actor_role: str, key: str
    ) -> None:
        self.appraisal = {
            "dossier_version": dossier_version,
            "deadline": deadline,
            "overdue": False,
        }
        self.state = State.APPRAISAL.value
        self._remember(key)

    def approve_appraisal(self, actor: Actor, key: str, comment: str = "") -> None:
        check(Step.APPROVE_APPRAISAL, self.state)
        self._appraisal_approved(
            dossier_version=self.dossier_version,
            document_hashes=self.document_hashes(),
            comment=comment,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("AppraisalApproved")
    def _appraisal_approved(
        self,
        dossier_version: int,
        document_hashes: list[str],
        comment: str,
        actor_id: str,
        actor_role: str,
        key: str,
    ) -> None:
        self.state = State.APPRAISED.value
        self._remember(key)

    def return_for_supplements(self, reason: str, actor: Actor, key: str) -> None:
        check(Step.RETURN, self.state, reason)
        self._returned(
            reason=reason.strip(),
            dossier_version=self.dossier_version,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("ReturnedForSupplements")
    def _returned(
        self, reason: str, dossier_version: int, actor_id: str, actor_role: str, key: str
    ) -> None:
        self.returns.append({"reason": reason, "dossier_version": dossier_version, "by": actor_id})
        self.dossier_version = dossier_version + 1
        self.state = State.RETURNED.value
        self._remember(key)

    # ---- deadlines, hold, withdrawal, decision -------------------------------------------

    def miss_deadline(self, step: str, deadline: datetime, actor: Actor, key: str) -> None:
        check_miss_deadline(self.state, step)
        self._deadline_missed(
            step=step, deadline=deadline, actor_id=actor.id, actor_role=actor.role, key=key
        )

    @event("DeadlineMissed")
    def _deadline_missed(
        self, step: str, deadline: datetime, actor_id: str, actor_role: str, key: str
    ) -> None:
        if step == "appraisal":
            self.appraisal["overdue"] = True
        self._remember(key)

    def hold(self, reason: str, actor: Actor, key: str) -> None:
        check(Step.HOLD, self.state, reason)
        self._held(reason=reason.strip(), actor_id=actor.id, actor_role=actor.role, key=key)

    @event("PutOnHold")
    def _held(self, reason: str, actor_id: str, actor_role: str, key: str) -> None:
        self.held_from = self.state
        self.state = State.ON_HOLD.value
        self._remember(key)

    def release(self, reason: str, actor: Actor, key: str) -> None:
        check(Step.RELEASE, self.state)
        self._released(
            reason=reason.strip(),
            resumed_state=self.held_from or State.DRAFT.value,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("Released")
    def _released(
        self, reason: str, resumed_state: str, actor_id: str, actor_role: str, key: str
    ) -> None:
        self.state = resumed_state
        self.held_from = None
        self._remember(key)

    def withdraw(self, reason: str, actor: Actor, key: str) -> None:
        check(Step.WITHDRAW, self.state)
        self._withdrawn(
            reason=reason.strip(),
            previous_state=self.state,
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("Withdrawn")
    def _withdrawn(
        self, reason: str, previous_state: str, actor_id: str, actor_role: str, key: str
    ) -> None:
        self.state = State.WITHDRAWN.value
        self.closing_reason = reason or "withdrawn"
        self._remember(key)

    def council_closed_on(self) -> date | None:
        result = self.votes.get(VoteStage.COUNCIL.value, {}).get("result")
        return date.fromisoformat(result["closed_on"]) if result else None

    def decide(
        self,
        outcome: DecisionOutcome,
        number: DecisionNumber,
        decided_on: date,
        reason: str,
        actor: Actor,
        key: str,
    ) -> None:
        check(Step.DECIDE, self.state)
        check_decision_date(decided_on, self.council_closed_on())
        if decided_on.year != self.year and decided_on.year != self.year + 1:
            raise InvalidInput(
                f"a decision on emulation year {self.year} is dated {self.year} or {self.year + 1}"
            )
        self._decided(
            outcome=DecisionOutcome(outcome).value,
            number=str(number),
            number_key=number.key(decided_on.year),
            decided_on=decided_on.isoformat(),
            reason=reason.strip(),
            actor_id=actor.id,
            actor_role=actor.role,
            key=key,
        )

    @event("Decided")
    def _decided(
        self,
        outcome: str,
        number: str,
        number_key: str,
        decided_on: str,
        reason: str,
        actor_id: str,
        actor_role: str,
        key: str,
    ) -> None:
        self.decision = {
            "outcome": outcome,
            "number": number,
            "decided_on": decided_on,
            "reason": reason,
            "by": actor_id,
        }
        self.state = State.DECIDED.value
        self.closing_reason = f"decision {number}: {outcome}"
        self._remember(key)


class DecisionNumberReservation(Aggregate):
    """Holds one decision number for one issuer and year; its id is derived from the number,
    so a second reservation of the same number conflicts in the event store."""

    @event("Reserved")
    def __init__(self, *, id: UUID, number: str, number_key: str, proposal_id: UUID) -> None:
        self.number = number
        self.number_key = number_key
        self.proposal_id = proposal_id
