"""The API's handle on the proposal workflows: start one, send it a human step, read its stage."""

from __future__ import annotations

import hashlib
from typing import Any

from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.kernel.message import Message
from domain.proposal.rules import Deadlines, VotingRules
from workflows.messages import ProposalInput, StepResult
from workflows.proposal import ProposalWorkflow


class StepRefused(Exception):
    """The workflow refused a step: ``code`` is the domain error code, ``state`` the stage."""

    def __init__(self, code: str, message: str | Message, state: str | None = None) -> None:
        self.code = code
        self.state = state
        self.message = Message.of(message)  # translatable; str(refusal) is the English
        super().__init__(self.message.render())


class ProcessClosed(Exception):
    """The proposal's workflow has finished (or never started): no step can be taken."""


class ProcessUnavailable(Exception):
    """Temporal did not answer."""


class Process:
    def __init__(
        self, client: Client, task_queue: str, deadlines: Deadlines, rules: VotingRules
    ) -> None:
        self._client = client
        self._task_queue = task_queue
        self._deadlines = deadlines
        self._rules = rules

    async def start(self, proposal_id: str, form: str, cluster_vote: bool) -> None:
        proposal = ProposalInput(
            proposal_id=proposal_id,
            form=form,
            cluster_vote=cluster_vote,
            cluster_rule=self._rules.cluster,
            council_rule=self._rules.council_rule(form),
            deadlines=self._deadlines,
        )
        try:
            await self._client.start_workflow(
                ProposalWorkflow.run,
                proposal,
                id=proposal_id,
                task_queue=self._task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                # A finished process is never started again under the same proposal id.
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            return
        except RPCError as error:
            raise ProcessUnavailable(f"Temporal refused to start the process: {error}") from error
        except RuntimeError as error:  # the SDK's word for "could not connect"
            raise ProcessUnavailable(f"Temporal is not reachable: {error}") from error

    @property
    def client(self) -> Client:
        return self._client

    async def ping(self) -> None:
        await self._client.workflow_service.get_system_info(GetSystemInfoRequest())

    async def step(
        self, proposal_id: str, update: str, request: Any, idempotency_key: str | None = None
    ) -> StepResult:
        update_id = None
        if idempotency_key:
            update_id = step_update_id(update, request.actor_id, idempotency_key)
        handle = self._client.get_workflow_handle(proposal_id)
        try:
            result: StepResult = await handle.execute_update(
                update, request, id=update_id, result_type=StepResult
            )
        except WorkflowUpdateFailedError as error:
            raise _refusal(error.cause) from None
        except RPCError as error:
            if error.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
                raise ProcessClosed(str(error)) from error
            raise ProcessUnavailable(f"Temporal did not take the step: {error}") from error
        except RuntimeError as error:
            raise ProcessUnavailable(f"Temporal is not reachable: {error}") from error
        return result

    async def outcome(
        self, proposal_id: str, update: str, actor: str, idempotency_key: str
    ) -> StepResult | None:
        """What the step sent earlier with this key answered, or None if it was never taken.

        Temporal keeps every update's outcome with its workflow, also once the workflow has
        completed: a refusal the handler raised is raised again here. A step its validator
        refused left no trace, so it is None and may be tried again."""
        update_id = step_update_id(update, actor, idempotency_key)
        handle = self._client.get_workflow_handle(proposal_id).get_update_handle(
            update_id, result_type=StepResult
        )
        try:
            result: StepResult = await handle.result()
        except WorkflowUpdateFailedError as error:
            raise _refusal(error.cause) from None
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:  # no such update, or no such workflow
                return None
            raise ProcessUnavailable(f"Temporal did not answer: {error}") from error
        except (RuntimeError, WorkflowUpdateRPCTimeoutOrCancelledError) as error:
            raise ProcessUnavailable(f"Temporal is not reachable: {error}") from error
        return result


def step_update_id(update: str, actor: str, idempotency_key: str) -> str:
    """The workflow update id of a step sent with an idempotency key. It names the actor, so
    two people who happen to send the same key never receive each other's answer."""
    digest = hashlib.sha256(f"{update}:{actor}:{idempotency_key}".encode()).hexdigest()[:32]
    return f"{update}-{digest}"


def _refusal(cause: BaseException | None) -> StepRefused:
    # The refusal may come from a validator, the handler, or an activity beneath it.
    while cause is not None and not isinstance(cause, ApplicationError):
        cause = cause.__cause__
    if isinstance(cause, ApplicationError):
        details = cause.details[0] if cause.details else {}
        state = details.get("state") if isinstance(details, dict) else None
        # The template and its parameters travel beside the English text; refusals recorded
        # before they did (older histories, other senders) keep their English message.
        carried = Message.from_json(details.get("message")) if isinstance(details, dict) else None
        return StepRefused(cause.type or "domain-rule", carried or Message.of(cause.message), state)
    return StepRefused("domain-rule", Message("the step was refused"))
