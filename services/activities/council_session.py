"""Temporal activities of the council session: its writes to the store, and each line's
result sent on to its proposal's workflow (which moves the proposal on)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain.kernel.actor import SYSTEM
from domain.kernel.errors import DomainError
from domain.session import commands as c
from domain.session.aggregate import CouncilSession
from infra.trustee_keys import Custody
from services.application.list_voting import service_shares
from services.application.process import SESSION_RESULT
from services.application.session_steps import SessionNotFound, apply_session, load_session
from workflows.council_session_messages import (
    SESSION_RESULTS,
    SESSION_STEP,
    SessionOutcome,
    SessionResults,
    SessionStepInput,
)
from workflows.messages import SessionResultRequest


def _outcome(session: CouncilSession, commands: list[Any]) -> SessionOutcome:
    vote = session.vote
    quorum_step = any(isinstance(cmd, (c.Open, c.OpenVoting)) for cmd in commands)
    short = bool(session.quorum_checks) and not session.quorum_checks[-1]["met"]
    return SessionOutcome(
        stage=session.stage,
        electorate=[] if vote is None else list(vote.electorate),
        own_lines={} if vote is None else {v: list(lines) for v, lines in vote.own_lines},
        written=[m for m, kind in session.attendance.items() if kind == "absent_written"],
        lines=session.line_ids,
        election_key=None if vote is None else vote.election_key,
        context="" if vote is None else vote.context,
        quorum_met=not (quorum_step and short),
    )


class SessionActivities:
    def __init__(self, app: Application[UUID], custody: Custody, client: Client) -> None:
        self._app = app
        self._custody = custody
        self._client = client

    @activity.defn(name=SESSION_STEP)
    def session_step(self, step: SessionStepInput) -> SessionOutcome:
        try:
            session = apply_session(self._app, UUID(step.session_id), step.commands, self)
        except (DomainError, SessionNotFound) as error:
            code = getattr(error, "code", "not-found")
            details = {"message": error.message.to_json()} if isinstance(error, DomainError) else {}
            raise ApplicationError(str(error), details, type=code, non_retryable=True) from None
        return _outcome(session, list(step.commands))

    @activity.defn(name=SESSION_RESULTS)
    async def session_results(self, results: SessionResults) -> None:
        """Each line's count and outcome to its proposal's workflow, once (the update's id
        and the proposal's step key make a retry harmless)."""
        session = load_session(self._app, UUID(results.session_id))
        assert session.result is not None and session.vote is not None
        sealing = session.vote.sealing
        assert sealing is not None
        for item in session.items:
            line = session.result[item.line]
            request = SessionResultRequest(
                SYSTEM.id,
                SYSTEM.role,
                results.session_id,
                dict(line["tally"]),
                int(line["base"]),
                str(line["outcome"]),
                sealing.closed_at,
            )
            handle = self._client.get_workflow_handle(item.proposal_id)
            update_id = f"session-result:{results.session_id}:{item.proposal_id}"
            try:
                await handle.execute_update(SESSION_RESULT.method, request, id=update_id)
            except WorkflowUpdateFailedError as error:
                activity.logger.warning(
                    "proposal %s did not take the session's result: %s", item.proposal_id, error
                )

    # ---- what steps need beyond the session (SessionServices) ---------------------------

    def election_key(self) -> dict[str, Any]:
        return self._custody.key.to_json()

    def service_shares(self, session: CouncilSession) -> list[dict[str, Any]]:
        return service_shares(session.box_of_votes(), self._custody)

    def all(self) -> list[Any]:
        return [self.session_step, self.session_results]
