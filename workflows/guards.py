"""The proposal workflow's update validators: the domain's state machine, asked with what the
workflow knows (its stage, the ballots it holds, the shares given), and the ballot's proofs."""

from __future__ import annotations

from datetime import date
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.kernel.errors import DomainError, InvalidInput
    from domain.proposal.decision import parse_decision_number
    from domain.proposal.forwarding import parse_external_number, parse_letter_number
    from domain.proposal.lifecycle import (
        Step,
        VoteFacts,
        check,
        check_ballot_box,
        check_route,
        check_share,
    )
    from domain.proposal.states import DecisionOutcome, VoteStage
    from domain.voting.ballot import check_ballot
    from domain.voting.election_key import ElectionKey, PartialDecryption, check_partial
    from domain.voting.elgamal import Ciphertext
    from domain.voting.sealed_ballot import SealedBallot, check_sealed, count_context
    from domain.voting.sealed_ballot import context as ballot_context
    from workflows.messages import (
        BallotRequest,
        DecidedByDecisionRequest,
        DecisionRequest,
        ExternalOutcomeRequest,
        ForwardRequest,
        ProposalInput,
        ShareRequest,
    )


def decision_outcome(text: str) -> DecisionOutcome:
    try:
        return DecisionOutcome(text)
    except ValueError:
        raise InvalidInput(
            "the decision's outcome {outcome!r} is neither awarded nor rejected", outcome=text
        ) from None


def decision_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "the decision's date {text!r} is not a date such as 2026-01-05", text=text
        ) from None


def refusal(error: DomainError, stage: str) -> ApplicationError:
    details = {"state": stage, "message": error.message.to_json()}  # translatable by the API
    return ApplicationError(str(error), details, type=error.code, non_retryable=True)


class ProposalGuards:
    """Mixed into ProposalWorkflow, whose state these read and never change."""

    _proposal: ProposalInput
    _stage: str
    _electorate: dict[str, list[str]]
    _voted: dict[str, list[str]]
    _box: dict[str, list[dict[str, Any]]]
    _keys: dict[str, ElectionKey]
    _trackers: dict[str, set[str]]
    _totals: dict[str, list[Ciphertext]]
    _shares: dict[str, list[int]]

    def _shares_missing(self, vote: VoteStage) -> int:
        if not self._box[vote.value]:
            return 0
        return max(0, self._keys[vote.value].threshold - len(self._shares[vote.value]))

    # ---- guards: the domain's state machine, asked with what the workflow knows ------------

    def _check(self, step: Step, reason: str | None = None) -> None:
        try:
            check(step, self._stage, reason)
        except DomainError as error:
            raise refusal(error, self._stage) from None

    def _facts(self, vote: VoteStage) -> VoteFacts:
        sealed = vote.value in self._totals
        return VoteFacts(vote, sealed, self._shares_missing(vote) if sealed else 0)

    def _check_ballot(self, vote: VoteStage, request: BallotRequest, proofs: bool) -> SealedBallot:
        """Refuse a ballot that cannot be counted; answer it parsed. The proofs are checked
        when the update is accepted (validators do not run again on replay)."""
        try:
            check_ballot_box(self._stage, self._facts(vote))
        except DomainError as error:
            raise refusal(error, self._stage) from None
        receipts = {entry["receipt"] for entry in self._box[vote.value]}
        if len(request.receipt) != 64 or request.receipt in receipts:
            raise refusal(InvalidInput("each ballot needs a fresh receipt"), self._stage)
        try:
            check_ballot(request.voter, self._electorate[vote.value], self._voted[vote.value])
            if proofs:
                key = self._keys[vote.value]
                context = ballot_context(self._proposal.proposal_id, vote.value, key)
                ballot = check_sealed(request.ballot, key, context)
            else:
                ballot = SealedBallot.from_json(request.ballot)
        except DomainError as error:
            raise refusal(error, self._stage) from None
        if ballot.tracker in self._trackers[vote.value]:
            raise refusal(InvalidInput("this sealed ballot was already cast"), self._stage)
        return ballot

    def _check_share(self, request: ShareRequest) -> tuple[VoteStage, PartialDecryption]:
        try:
            vote = VoteStage(request.stage)
        except ValueError:
            raise refusal(InvalidInput("stage must be cluster or council"), self._stage) from None
        try:
            check_share(self._stage, self._facts(vote))
            part = PartialDecryption.from_json(request.share)
            if part.trustee in self._shares[vote.value]:
                raise InvalidInput(
                    "trustee {trustee} has already given a share", trustee=part.trustee
                )
            key = self._keys[vote.value]
            context = ballot_context(self._proposal.proposal_id, vote.value, key)
            check_partial(key, self._totals[vote.value], part, count_context(context))
        except DomainError as error:
            raise refusal(error, self._stage) from None
        return vote, part

    def _check_route(self, step: Step) -> None:
        """The table's check, and the form's route: forwarded, or decided by VUSTA."""
        try:
            check_route(step, self._stage, self._proposal.forwarded)
        except DomainError as error:
            raise refusal(error, self._stage) from None

    def _check_forward(self, request: ForwardRequest) -> None:
        self._check_route(Step.FORWARD)
        try:
            parse_letter_number(request.letter_number)
            decision_date(request.sent_on)
        except DomainError as error:
            raise refusal(error, self._stage) from None

    def _check_external_outcome(self, request: ExternalOutcomeRequest) -> None:
        self._check_route(Step.RECORD_EXTERNAL_OUTCOME)
        try:
            parse_external_number(request.number)
            decision_outcome(request.outcome)
            decision_date(request.decided_on)
        except DomainError as error:
            raise refusal(error, self._stage) from None

    def _check_decision(self, request: DecisionRequest | DecidedByDecisionRequest) -> None:
        """A single decision, or (--- decide ---) a decision for many as one proposal gets it."""
        single = isinstance(request, DecisionRequest)
        self._check_route(Step.DECIDE if single else Step.DECIDE_BY_DECISION)
        try:
            parse_decision_number(request.number)
            decision_outcome(request.outcome)
            decision_date(request.decided_on)
        except DomainError as error:
            raise refusal(error, self._stage) from None
