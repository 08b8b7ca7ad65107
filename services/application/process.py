"""The API's handle on the proposal workflows: start one, send it a human step, read its stage."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import (
    Client,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from domain.kernel.calendar import today
from domain.kernel.message import Message
from domain.proposal.aggregate import Proposal
from domain.proposal.publication import needs_publication
from services.application.process_terms import ProcessTerms, recorded_version
from workflows.messages import (
    AppraisalRequest,
    BallotRequest,
    ComplaintRequest,
    DecidedByDecisionRequest,
    DecisionRequest,
    ExternalOutcomeRequest,
    ForwardRequest,
    ProposalInput,
    PublishRequest,
    SessionResultRequest,
    ShareRequest,
    StepRequest,
    StepResult,
)
from workflows.proposal import ProposalWorkflow

RequestT = TypeVar("RequestT")


@dataclass(frozen=True)
class StepUpdate(Generic[RequestT]):
    """A person's step as the workflow update it is sent as, called by method with its typed
    request. The name is the update's name in recorded histories and in the update ids of steps
    sent with an Idempotency-Key: it never changes (a test holds it to the method's)."""

    name: str
    method: UpdateMethodMultiParam[[ProposalWorkflow, RequestT], StepResult]


SUBMIT = StepUpdate[StepRequest]("submit", ProposalWorkflow.submit)
CLUSTER_VOTE = StepUpdate[BallotRequest]("cluster_vote", ProposalWorkflow.cluster_vote)
COUNCIL_VOTE = StepUpdate[BallotRequest]("council_vote", ProposalWorkflow.council_vote)
TALLY_SHARE = StepUpdate[ShareRequest]("tally_share", ProposalWorkflow.tally_share)
APPRAISAL = StepUpdate[AppraisalRequest]("appraisal", ProposalWorkflow.appraisal)
DECISION = StepUpdate[DecisionRequest]("decision", ProposalWorkflow.decision)
WITHDRAW = StepUpdate[StepRequest]("withdraw", ProposalWorkflow.withdraw)
HOLD = StepUpdate[StepRequest]("hold", ProposalWorkflow.hold)
RELEASE = StepUpdate[StepRequest]("release", ProposalWorkflow.release)
FORWARD = StepUpdate[ForwardRequest]("forward", ProposalWorkflow.forward)
EXTERNAL_OUTCOME = StepUpdate[ExternalOutcomeRequest](
    "external_outcome", ProposalWorkflow.external_outcome
)
# --- publish ---
PUBLISH = StepUpdate[PublishRequest]("publish", ProposalWorkflow.publish)
UPHOLD_COMPLAINT = StepUpdate[ComplaintRequest](
    "uphold_complaint", ProposalWorkflow.uphold_complaint
)
DECIDED_BY_DECISION = StepUpdate[DecidedByDecisionRequest](
    "decided_by_decision", ProposalWorkflow.decided_by_decision
)

# --- session: sent by the council session's activity once the session is counted
SESSION_RESULT = StepUpdate[SessionResultRequest]("session_result", ProposalWorkflow.session_result)
STEP_UPDATES: tuple[StepUpdate[Any], ...] = (
    SUBMIT,
    CLUSTER_VOTE,
    COUNCIL_VOTE,
    TALLY_SHARE,
    APPRAISAL,
    DECISION,
    WITHDRAW,
    HOLD,
    RELEASE,
    FORWARD,
    EXTERNAL_OUTCOME,
    PUBLISH,
    UPHOLD_COMPLAINT,
    DECIDED_BY_DECISION,
    SESSION_RESULT,
)


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
    """Temporal did not answer; ``message`` says so in words an official can be shown."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render())


class Process:
    def __init__(self, client: Client, task_queue: str, terms: ProcessTerms) -> None:
        self._client = client
        self._task_queue = task_queue
        self.terms = terms

    async def start(
        self,
        proposal_id: str,
        form: str,
        cluster_vote: bool,
        version: str | None = None,
        lodged: date | None = None,
        forwarded: bool = False,
        start: str = "draft",
    ) -> None:
        """Start the proposal's process under its rulebook ``version`` (by default the one
        in force on the day it was ``lodged``), its timers counted from today; ``start``
        "cluster_approved" for one its cluster's conference voted (it goes on from the
        appraisal)."""
        chosen = self.terms.version_for(version, lodged)
        terms = self.terms.terms(form, cluster_vote, chosen, today())
        proposal = ProposalInput(
            proposal_id=proposal_id,
            form=form,
            cluster_vote=cluster_vote,
            cluster_rule=terms.cluster_rule,
            council_rule=terms.council_rule,
            deadlines=terms.deadlines,
            forwarded=forwarded,
            start=start,
            publication=needs_publication(form, chosen.publication_forms),
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
            raise ProcessUnavailable(
                Message("Temporal refused to start the process: {error}", error=str(error))
            ) from error
        except RuntimeError as error:
            raise _unreachable(error) from error

    async def start_for(self, proposal: Proposal) -> None:
        """Start the process of a stored proposal under the version it was lodged under."""
        version, lodged = recorded_version(proposal)
        start = "cluster_approved" if proposal.conference_id is not None else "draft"
        await self.start(
            str(proposal.id),
            proposal.form,
            proposal.cluster_vote_required,
            version,
            lodged,
            forwarded=proposal.forwarded,
            start=start,
        )

    @property
    def client(self) -> Client:
        return self._client

    async def ping(self) -> None:
        await self._client.workflow_service.get_system_info(GetSystemInfoRequest())

    def _handle(self, proposal_id: str) -> WorkflowHandle[ProposalWorkflow, str]:
        return self._client.get_workflow_handle_for(ProposalWorkflow.run, proposal_id)

    async def step(
        self,
        proposal_id: str,
        update: StepUpdate[RequestT],
        request: RequestT,
        actor: str,
        idempotency_key: str | None = None,
    ) -> StepResult:
        update_id = None
        if idempotency_key:
            update_id = step_update_id(update.name, actor, idempotency_key)
        try:
            return await self._handle(proposal_id).execute_update(
                update.method, request, id=update_id
            )
        except WorkflowUpdateFailedError as error:
            raise _refusal(error.cause) from None
        except RPCError as error:
            if error.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.FAILED_PRECONDITION):
                raise ProcessClosed(str(error)) from error
            raise ProcessUnavailable(
                Message("Temporal did not take the step: {error}", error=str(error))
            ) from error
        except RuntimeError as error:
            raise _unreachable(error) from error

    async def outcome(
        self, proposal_id: str, update: StepUpdate[Any], actor: str, idempotency_key: str
    ) -> StepResult | None:
        """What the step sent earlier with this key answered, or None if it was never taken.

        Temporal keeps every update's outcome with its workflow, also once the workflow has
        completed: a refusal the handler raised is raised again here. A step its validator
        refused left no trace, so it is None and may be tried again."""
        update_id = step_update_id(update.name, actor, idempotency_key)
        handle = self._handle(proposal_id).get_update_handle_for(update.method, update_id)
        try:
            result: StepResult = await handle.result()
        except WorkflowUpdateFailedError as error:
            raise _refusal(error.cause) from None
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:  # no such update, or no such workflow
                return None
            raise ProcessUnavailable(
                Message("Temporal did not answer: {error}", error=str(error))
            ) from error
        except (RuntimeError, WorkflowUpdateRPCTimeoutOrCancelledError) as error:
            raise _unreachable(error) from error
        return result


def _unreachable(error: BaseException) -> ProcessUnavailable:
    """The SDK says RuntimeError when it cannot connect."""
    return ProcessUnavailable(Message("Temporal is not reachable: {error}", error=str(error)))


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
