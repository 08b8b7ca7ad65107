"""The proposal workflow on the time-skipping test server, with a stand-in store in memory;
last, a conference-voted state-level form forwarded and waiting for its external outcome."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
import pytest_asyncio
from temporalio import activity
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.kernel.actor import SYSTEM, Actor, Role
from domain.kernel.calendar import VIETNAM
from domain.proposal.aggregate import Proposal
from domain.proposal.forms import find_form
from domain.proposal.forwarding import RecordRef
from domain.proposal.rules import CLUSTER_DEFAULT, COUNCIL_DEFAULT, Deadlines
from domain.proposal.states import VoteStage
from domain.voting.ballot import BallotRule, Outcome, Tally
from domain.voting.election_key import deal, partially_decrypt
from domain.voting.elgamal import Q
from domain.voting.sealed_ballot import context, count_context, seal, totals
from infra import temporal
from services.application.proposals import AwardsApplication, Conference
from workflows.messages import (
    AppraisalRequest,
    BallotRequest,
    ComplaintRequest,
    DecisionRequest,
    ExternalOutcomeRequest,
    ForwardRequest,
    ProposalInput,
    PublishRequest,
    StepInput,
    StepOutcome,
    StepRequest,
    VoteReport,
)
from workflows.proposal import TAKE_STEP, ProposalWorkflow

CLUSTER = ["lhh-a", "lhh-b", "lhh-c"]
COUNCIL = ["council.1", "council.2", "council.3"]
PROPOSER = Actor("ninh-binh.proposer", Role.PROPOSER)
SECRETARY = ("vusta.secretary", Role.COUNCIL_SECRETARY.value)
_random = random.Random(20261201)  # reproducible, and fine for tests only


def rand() -> int:
    return _random.randrange(1, Q)


KEY, SHARES = deal(3, 2, rand)
ELECTION_KEY = KEY.to_json()


@dataclass
class StandInStore:
    """The take_step activity over the real application on in-memory persistence; the
    service holds two of the test key's three shares, so a sealed count opens at once."""

    app: AwardsApplication

    @activity.defn(name=TAKE_STEP)
    def take_step(self, step: StepInput) -> StepOutcome:
        try:
            proposal = self.app.apply(UUID(step.proposal_id), step.commands, self)
        except Exception as error:
            raise ApplicationError(str(error), type="domain-rule", non_retryable=True) from None
        votes = {
            stage: VoteReport(list(vote.electorate), vote.election_key, vote.trustees)
            for stage, vote in proposal.votes.items()
        }
        return StepOutcome(proposal.state, votes)

    def electorate(self, proposal: Proposal, stage: VoteStage, rule: BallotRule) -> list[str]:
        return CLUSTER if stage == VoteStage.CLUSTER else COUNCIL

    def election_key(self) -> dict[str, Any]:
        return ELECTION_KEY

    def service_shares(self, proposal: Proposal, stage: VoteStage) -> list[dict[str, Any]]:
        vote = proposal.vote(stage)
        encrypted = totals(vote.sealed_box())
        context = count_context(proposal.ballot_context(stage))
        missing = vote.shares_missing
        return [
            partially_decrypt(share, encrypted, context, lambda: 7).to_json()
            for share in SHARES[:missing]
        ]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def time_skipping_env(
    payload_keys: list[tuple[str, bytes]],
) -> AsyncIterator[WorkflowEnvironment]:
    """A test server of this module's own: another test's workflow left waiting for a worker
    that has gone would hold time still for everyone on a shared one."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal.test_server_binary(),
        data_converter=temporal.data_converter(payload_keys),
        test_server_startup_timeout=timedelta(seconds=60),  # a loaded machine is slow to start it
    )
    yield env
    await env.shutdown()


@pytest.fixture
async def store(time_skipping_env: WorkflowEnvironment) -> AsyncIterator[StandInStore]:
    stand_in = StandInStore(AwardsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}))
    with ThreadPoolExecutor(4) as pool:
        async with Worker(
            time_skipping_env.client,
            task_queue="workflow-tests",
            workflows=[ProposalWorkflow],
            activities=[stand_in.take_step],
            activity_executor=pool,
        ):
            yield stand_in


async def start(env: WorkflowEnvironment, store: StandInStore) -> WorkflowHandle[Any, str]:
    pid = uuid.uuid4()
    store.app.nominate(
        proposal_id=pid,
        form=find_form("vusta_flag"),
        year=2026,
        proposing_unit="lhh-ninh-binh",
        cluster="cum-4",
        nominee={"kind": "collective", "name": "LHH Ninh Bình"},
        title="Cờ thi đua 2026",
        summary="",
        actor=PROPOSER,
        key=f"nominate-{pid}",
        rulebook_version="decree-152-2025",
    )
    for kind in ("request_letter", "achievement_report"):
        document = {"name": kind, "media_type": "application/pdf", "sha256": kind, "size": 1}
        store.app.attach_document(pid, {**document, "kind": kind}, PROPOSER, f"{kind}-{pid}")
    proposal = ProposalInput(
        str(pid), "vusta_flag", True, CLUSTER_DEFAULT, COUNCIL_DEFAULT, Deadlines()
    )
    return await env.client.start_workflow(
        ProposalWorkflow.run,
        proposal,
        id=str(pid),
        task_queue="workflow-tests",
        execution_timeout=timedelta(days=400),
    )


def ballot(handle: WorkflowHandle[Any, str], stage: str, voter: str, n: int) -> BallotRequest:
    role = Role.CLUSTER_MEMBER if stage == "cluster" else Role.COUNCIL_MEMBER
    sealed = seal("yes", KEY, context(handle.id, stage, KEY), rand).to_json()
    return BallotRequest(voter, role.value, voter, sealed, f"{n:064x}")


async def vote(handle: WorkflowHandle[Any, str], stage: str, voters: list[str]) -> str:
    update = ProposalWorkflow.cluster_vote if stage == "cluster" else ProposalWorkflow.council_vote
    state = ""
    for n, voter in enumerate(voters):
        state = (await handle.execute_update(update, ballot(handle, stage, voter, n))).state
    return state


async def submit(handle: WorkflowHandle[Any, str]) -> str:
    request = StepRequest(PROPOSER.id, PROPOSER.role, "gửi")
    return (await handle.execute_update(ProposalWorkflow.submit, request)).state


async def test_a_proposal_goes_from_submission_to_the_council_vote(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await start(time_skipping_env, store)
    assert await submit(handle) == "cluster_voting"
    assert await vote(handle, "cluster", CLUSTER) == "appraisal"
    approve = AppraisalRequest(*SECRETARY, "approve", "đủ")
    assert (await handle.execute_update(ProposalWorkflow.appraisal, approve)).state == (
        "council_voting"
    )
    assert await vote(handle, "council", COUNCIL) == "council_approved"
    proposal = store.app.proposal(UUID(handle.id))
    result = proposal.votes["council"].result
    assert result is not None and result.tally == Tally(yes=3)


async def test_a_missed_vote_deadline_closes_the_vote_with_the_ballots_cast(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await start(time_skipping_env, store)
    await submit(handle)
    await vote(handle, "cluster", CLUSTER[:1])  # 1 of 3: below the 2/3 quorum
    await time_skipping_env.sleep(timedelta(days=8))
    assert await handle.result() == "rejected"
    result = store.app.proposal(UUID(handle.id)).votes["cluster"].result
    assert result is not None
    assert (result.outcome, result.reason) == (Outcome.NO_QUORUM, "deadline passed")


async def test_hold_stops_the_clock_and_release_restarts_it(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await start(time_skipping_env, store)
    await submit(handle)
    await time_skipping_env.sleep(timedelta(days=5))
    held = StepRequest(*SECRETARY, "khiếu nại")
    await handle.execute_update(ProposalWorkflow.hold, held)
    await time_skipping_env.sleep(timedelta(days=30))  # far past the 7-day deadline
    assert (await handle.query(ProposalWorkflow.process)).stage == "on_hold"
    await handle.execute_update(ProposalWorkflow.release, StepRequest(*SECRETARY, "xong"))
    await time_skipping_env.sleep(timedelta(days=1))
    assert (await handle.query(ProposalWorkflow.process)).stage == "cluster_voting"
    await time_skipping_env.sleep(timedelta(days=2))  # the 2 days left have passed
    assert await handle.result() == "rejected"


# ---- a conference-voted Government Flag: appraisal, council, forwarded, external outcome ----

RECORDS = (
    RecordRef("review_minutes", "a" * 64, "minutes"),
    RecordRef("ballot_count", "b" * 64, "count"),
)
LETTER = {"name": "tt.pdf", "media_type": "application/pdf", "sha256": "c" * 64, "size": 9}
DECISION = {"name": "qd.pdf", "media_type": "application/pdf", "sha256": "d" * 64, "size": 9}


async def start_conference_voted(
    env: WorkflowEnvironment, store: StandInStore, publication: bool = False
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
        publication=publication,
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


async def later(env: WorkflowEnvironment, days: int) -> str:
    """A date after the council vote, which closes on the test server's today."""
    now = await env.get_current_time()
    return (now.astimezone(VIETNAM).date() + timedelta(days=days)).isoformat()


async def forwarding(env: WorkflowEnvironment) -> ForwardRequest:
    sent_on = await later(env, 1)
    return ForwardRequest(*SECRETARY, "05/TTr-LHHVN", sent_on, "Ban TĐKT Trung ương", LETTER)


async def test_a_conference_voted_proposal_starts_at_the_appraisal(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await start_conference_voted(time_skipping_env, store)
    approve = AppraisalRequest(*SECRETARY, "approve", "đủ")
    await handle.execute_update(ProposalWorkflow.appraisal, approve)
    proposal = store.app.proposal(UUID(handle.id))
    assert "cluster" not in proposal.votes  # no single-proposal cluster vote
    assert proposal.state == "council_voting"
    await handle.terminate()  # its vote's deadline would hold the shared clock for a worker gone


async def test_a_forwarded_proposal_waits_is_reminded_and_ends_with_the_external_outcome(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await council_approved(time_skipping_env, store)
    result = await handle.execute_update(
        ProposalWorkflow.forward, await forwarding(time_skipping_env)
    )
    assert result.state == "forwarded"
    assert (await handle.query(ProposalWorkflow.process)).deadline is not None
    await time_skipping_env.sleep(timedelta(days=29))
    await time_skipping_env.sleep(timedelta(days=2))  # past the 30 days: the reminder
    proposal = store.app.proposal(UUID(handle.id))
    events = [type(e).__name__ for e in store.app.domain_events(proposal.id)]
    assert events[-1] == "DeadlineMissed" and proposal.state == "forwarded"
    assert (await handle.query(ProposalWorkflow.process)).deadline is None  # reminded once
    outcome = ExternalOutcomeRequest(
        *SECRETARY,
        "awarded",
        "123/QĐ-TTg",
        await later(time_skipping_env, 60),
        "Thủ tướng Chính phủ",
        DECISION,
    )
    await handle.execute_update(ProposalWorkflow.external_outcome, outcome)
    assert await handle.result() == "externally_decided"
    recorded = store.app.proposal(UUID(handle.id)).external_outcome
    assert recorded is not None and recorded.number == "123/QĐ-TTg"


async def test_a_forwarded_form_is_never_decided_by_vusta(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await council_approved(time_skipping_env, store)
    decision = DecisionRequest(
        PROPOSER.id, "president", "awarded", "17/QĐ-LHHVN", await later(time_skipping_env, 1)
    )
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(ProposalWorkflow.decision, decision)
    assert "decided by the state body" in str(refused.value.cause)
    assert store.app.proposal(UUID(handle.id)).state == "council_approved"
    await handle.terminate()


# ---- publication (--- publish ---): the window on a durable timer -------------------------


async def published(env: WorkflowEnvironment, store: StandInStore) -> WorkflowHandle[Any, str]:
    """A state-level nominee appraised and published today for a 14-day window."""
    handle = await start_conference_voted(env, store, publication=True)
    approve = AppraisalRequest(*SECRETARY, "approve", "đủ")
    assert (await handle.execute_update(ProposalWorkflow.appraisal, approve)).state == "appraised"
    day = await later(env, 0)
    request = PublishRequest(*SECRETARY, day, await later(env, 14), 10, "Cổng VUSTA", day)
    assert (await handle.execute_update(ProposalWorkflow.publish, request)).state == "published"
    return handle


async def test_a_published_nominee_goes_to_the_council_vote_when_its_window_ends(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await published(time_skipping_env, store)
    await time_skipping_env.sleep(timedelta(days=14))
    assert (await handle.query(ProposalWorkflow.process)).stage == "published"
    await time_skipping_env.sleep(timedelta(days=2))  # past midnight after the window's last day
    assert (await handle.query(ProposalWorkflow.process)).stage == "council_voting"
    assert store.app.proposal(UUID(handle.id)).state == "council_voting"
    await handle.terminate()


async def test_a_hold_in_the_window_does_not_extend_it(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await published(time_skipping_env, store)
    held = StepRequest("system", "system", "complaint c-1 received in the publication window")
    await handle.execute_update(ProposalWorkflow.hold, held)
    await time_skipping_env.sleep(timedelta(days=30))
    assert (await handle.query(ProposalWorkflow.process)).stage == "on_hold"
    released = StepRequest(*SECRETARY, "complaint c-1 dismissed")
    assert (await handle.execute_update(ProposalWorkflow.release, released)).state == "published"
    await time_skipping_env.sleep(timedelta(hours=1))  # the window ended long ago
    assert (await handle.query(ProposalWorkflow.process)).stage == "council_voting"
    await handle.terminate()


async def test_an_upheld_complaint_ends_the_process_rejected(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await published(time_skipping_env, store)
    held = StepRequest("system", "system", "complaint c-2 received in the publication window")
    await handle.execute_update(ProposalWorkflow.hold, held)
    upheld = ComplaintRequest(*SECRETARY, "c-2", "có cơ sở")
    await handle.execute_update(ProposalWorkflow.uphold_complaint, upheld)
    assert await handle.result() == "rejected"


# ---- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("update", "request_", "refusal"),
    [
        (ProposalWorkflow.hold, StepRequest(*SECRETARY, "x"), "cannot put on hold"),
        (ProposalWorkflow.release, StepRequest(*SECRETARY, "x"), "cannot release"),
        (ProposalWorkflow.appraisal, AppraisalRequest(*SECRETARY, "approve"), "cannot approve"),
    ],
)
async def test_a_step_the_state_does_not_allow_is_refused_before_anything_is_written(
    time_skipping_env: WorkflowEnvironment,
    store: StandInStore,
    update: Any,
    request_: Any,
    refusal: str,
) -> None:
    handle = await start(time_skipping_env, store)
    version = store.app.proposal(UUID(handle.id)).version
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(update, request_)
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError) and cause.message.startswith(refusal)
    assert cause.type == "illegal-transition"
    assert store.app.proposal(UUID(handle.id)).version == version


async def test_a_hold_without_a_reason_is_refused(
    time_skipping_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle = await start(time_skipping_env, store)
    await submit(handle)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(ProposalWorkflow.hold, StepRequest(*SECRETARY, " "))
    assert isinstance(refused.value.cause, ApplicationError)
    assert refused.value.cause.type == "invalid-input"
