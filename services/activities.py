"""Temporal activities: the only place the proposal workflow touches the event store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.ballot import electorate
from domain.errors import DomainError
from domain.states import VoteStage
from services.application import AwardsApplication, ProposalNotFound
from services.directory import Directory
from workflows.proposal import APPLY_STEP, FIND_ELECTORATE
from workflows.steps import ElectorateQuery, StepCommand, StepResult


class ProposalActivities:
    def __init__(self, app: AwardsApplication, directory: Directory) -> None:
        self._app = app
        self._directory = directory

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

    def all(self) -> list[Callable[..., Any]]:
        return [self.apply_step, self.find_electorate]
