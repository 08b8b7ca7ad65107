"""Temporal activities: the only place the proposal workflow touches the event store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.ballot import electorate
from domain.election_key import partially_decrypt
from domain.errors import DomainError
from domain.sealed_ballot import count_context, totals
from domain.states import VoteStage
from infra.trustee_keys import Custody, secret_exponent
from services.application import AwardsApplication, ProposalNotFound
from services.directory import Directory
from workflows.proposal import APPLY_STEP, DECRYPT_COUNT, ELECTION_KEY, FIND_ELECTORATE
from workflows.steps import CountQuery, ElectorateQuery, StepCommand, StepResult


class ProposalActivities:
    def __init__(self, app: AwardsApplication, directory: Directory, custody: Custody) -> None:
        self._app = app
        self._directory = directory
        self._custody = custody

    @activity.defn(name=APPLY_STEP)
    def apply_step(self, command: StepCommand) -> StepResult:
        try:
            proposal = self._app.apply_step(command)
        except (DomainError, ProposalNotFound) as error:
            code = getattr(error, "code", "not-found")
            raise ApplicationError(str(error), type=code, non_retryable=True) from None
        return StepResult(state=proposal.state)

    @activity.defn(name=FIND_ELECTORATE)
    def find_electorate(self, query: ElectorateQuery) -> list[str]:
        """Member units of the proposer's cluster, or council members, without conflicts."""
        proposal = self._app.proposal(UUID(query.proposal_id))
        conflicted = {proposal.proposing_unit, proposal.nominee.get("unit_id", "")}
        if VoteStage(query.stage) == VoteStage.CLUSTER:
            members = [unit.id for unit in self._directory.cluster_units(proposal.cluster)]
        else:
            council = self._directory.users_with_role("council_member")
            members = [user.username for user in council]
            conflicted |= {u.username for u in council if u.unit_id in conflicted}
        return electorate(members, conflicted, query.rule)

    @activity.defn(name=ELECTION_KEY)
    def election_key(self) -> dict[str, Any]:
        """The public key the next vote's ballots are sealed under."""
        return self._custody.key.to_json()

    @activity.defn(name=DECRYPT_COUNT)
    def decrypt_count(self, query: CountQuery) -> list[dict[str, Any]]:
        """Decryption shares of a sealed vote's totals from the key shares this service holds
        (none when the trustees hold them all); never more than the count needs."""
        proposal = self._app.proposal(UUID(query.proposal_id))
        stage = VoteStage(query.stage)
        key = proposal.election_key(stage)
        given = {share["trustee"] for share in proposal.votes[stage]["shares"]}
        held = [
            share
            for share in self._custody.shares
            if share.key == key.fingerprint and share.trustee not in given
        ]
        encrypted = totals(proposal.sealed_box(stage))
        context = count_context(proposal.ballot_context(stage))
        return [
            partially_decrypt(share, encrypted, context, secret_exponent).to_json()
            for share in held[: proposal.shares_missing(stage)]
        ]

    def all(self) -> list[Callable[..., Any]]:
        return [self.apply_step, self.find_electorate, self.election_key, self.decrypt_count]
