"""A conference-voted Government Flag in the workflow: from the appraisal to the council, then
forwarded, waiting durably for the state body (a reminder when late), closed by its outcome."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from test_proposal_workflow import (
    COUNCIL,
    PROPOSER,
    SECRETARY,
    StandInStore,
    store,
    time_skipping_env,
    vote,
)

from domain.kernel.actor import SYSTEM
from domain.kernel.calendar import VIETNAM
from domain.proposal.forms import find_form
from domain.proposal.forwarding import RecordRef
from domain.proposal.rules import CLUSTER_DEFAULT, COUNCIL_DEFAULT, Deadlines
from services.application.proposals import Conference
from workflows.messages import (
    AppraisalRequest,
    DecisionRequest,
    ExternalOutcomeRequest,
    ForwardRequest,
    ProposalInput,
)
from workflows.proposal import ProposalWorkflow

__all__ = ["store", "time_skipping_env"]  # the fixtures, shared with the module they live in
RECORDS = (
    RecordRef("review_minutes", "a" * 64, "minutes"),
    RecordRef("ballot_count", "b" * 64, "count"),
)
LETTER = {"name": "tt.pdf", "media_type": "application/pdf", "sha256": "c" * 64, "size": 9}
DECISION = {"name": "qd.pdf", "media_type": "application/pdf", "sha256": "d" * 64, "size": 9}


async def start_conference_voted(
    env: WorkflowEnvironment, store: StandInStore
) -> WorkflowHandle[Any, str]:
    pid = uuid.uuid4()
    documents = tuple(
        {
            "name": r.document_id,
            "media_type": "application/pdf",
            "sha256": r.sha256,
            "size": 9,
            "kind": r.kind,
        }
        for r in RECORDS
    )
    store.app.nominate(
        proposal_id=pid,
        form=find_form("government_flag"),
        year=2026,
        proposing_unit="lhh-ninh-binh",
        cluster="cum-4",
        nominee={"kind": "collective", "name": "LHH Ninh Bình", "unit_id": "lhh-ninh-binh"},
        title="Cờ thi đua của Chính phủ 2026",
        summary="",
        actor=SYSTEM,
        key=f"conference-{pid}",
        rulebook_version="decree-152-2025",
        conference=Conference("cum-4:2026", RECORDS, documents),
    )
    proposal = ProposalInput(
        str(pid),
        "government_flag",
        True,
        CLUSTER_DEFAULT,
        COUNCIL_DEFAULT,
        Deadlines(external_outcome_days=30),
        forwarded=True,
        start="cluster_approved",
    )
    return await env.client.start_workflow(
        ProposalWorkflow.run,
        proposal,
        id=str(pid),
        task_queue="workflow-tests",
        execution_timeout=timedelta(days=400),
    )


async def council_approved(
    env: WorkflowEnvironment, store: StandInStore
) -> WorkflowHandle[Any, str]:
    handle = await start_conference_voted(env, store)
    approve = AppraisalRequest(*SECRETARY, "approve", "đủ")
    assert (await handle.execute_update(ProposalWorkflow.appraisal, approve)).state == (
        "council_voting"
    )
    assert await vote(handle, "council", COUNCIL) == "council_approved"
    return handle


def later(days: int) -> str:
    """A date after the council vote, which closes today (the test server's clock is real)."""
    return (datetime.now(VIETNAM).date() + timedelta(days=days)).isoformat()


def forwarding() -> ForwardRequest:
    return ForwardRequest(*SECRETARY, "05/TTr-LHHVN", later(1), "Ban TĐKT Trung ương", LETTER)


async def test_a_conference_voted_proposal_starts_at_the_appraisal(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await start_conference_voted(time_skipping_env, store)
    approve = AppraisalRequest(*SECRETARY, "approve", "đủ")
    await handle.execute_update(ProposalWorkflow.appraisal, approve)
    proposal = store.app.proposal(UUID(handle.id))
    assert "cluster" not in proposal.votes  # no single-proposal cluster vote
    assert proposal.state == "council_voting"


async def test_a_forwarded_proposal_waits_is_reminded_and_ends_with_the_external_outcome(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await council_approved(time_skipping_env, store)
    result = await handle.execute_update(ProposalWorkflow.forward, forwarding())
    assert result.state == "forwarded"
    assert (await handle.query(ProposalWorkflow.process)).deadline is not None
    await time_skipping_env.sleep(timedelta(days=29))
    await time_skipping_env.sleep(timedelta(days=2))  # past the 30 days: the reminder
    proposal = store.app.proposal(UUID(handle.id))
    events = [type(e).__name__ for e in store.app.domain_events(proposal.id)]
    assert events[-1] == "DeadlineMissed" and proposal.state == "forwarded"
    assert (await handle.query(ProposalWorkflow.process)).deadline is None  # reminded once
    outcome = ExternalOutcomeRequest(
        *SECRETARY, "awarded", "123/QĐ-TTg", later(60), "Thủ tướng Chính phủ", DECISION
    )
    await handle.execute_update(ProposalWorkflow.external_outcome, outcome)
    assert await handle.result() == "externally_decided"
    recorded = store.app.proposal(UUID(handle.id)).external_outcome
    assert recorded is not None and recorded.number == "123/QĐ-TTg"


async def test_a_forwarded_form_is_never_decided_by_vusta(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await council_approved(time_skipping_env, store)
    decision = DecisionRequest(PROPOSER.id, "president", "awarded", "17/QĐ-LHHVN", later(1))
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(ProposalWorkflow.decision, decision)
    assert "decided by the state body" in str(refused.value.cause)
    assert store.app.proposal(UUID(handle.id)).state == "council_approved"
