"""The council session's workflow with a stand-in store in memory: each member's list ballot
arrives once (a resend is refused, its receipt already in the box), the last ballot seals the
box and the count sends each line's result on; a session of 25 members and 40 lines keeps its
history far below Temporal's limits."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from temporalio import activity
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.kernel.actor import SYSTEM, Actor, Role
from domain.proposal.aggregate import Proposal
from domain.proposal.forms import find_form
from domain.rulebook.defaults import COUNCIL
from domain.session import commands as c
from domain.session.aggregate import CouncilSession
from domain.session.rules import AgendaItem
from domain.voting.election_key import deal
from domain.voting.elgamal import Q
from domain.voting.list_ballot import decryption_share, seal_list
from services.activities.council_session import _outcome
from services.application.proposals import AwardsApplication
from services.application.session_steps import apply_session, load_session
from workflows.council_session import CouncilSessionWorkflow, box_parts
from workflows.council_session_messages import (
    SESSION_RESULTS,
    SESSION_STEP,
    ConveneRequest,
    SessionBallot,
    SessionCarry,
    SessionOutcome,
    SessionRequest,
    SessionResults,
    SessionStepInput,
)

QUEUE = "council-session-tests"
VERSION = "decree-152-2025"
SECRETARY = Actor("council.00", Role.COUNCIL_SECRETARY)
PROPOSER = Actor("lhh-x.proposer", Role.PROPOSER)
_random = random.Random(12)
KEY, SHARES = deal(3, 2, lambda: _random.randrange(1, Q))


def appraised(app: AwardsApplication, proposal_id: UUID) -> None:
    form = find_form("vusta_certificate")
    proposal = Proposal.nominate(
        id=proposal_id,
        form=form,
        year=2026,
        proposing_unit="lhh-x",
        cluster="cum-4",
        nominee={"kind": "collective", "name": "LHH X", "unit_id": "lhh-x"},
        title="Bằng khen 2026",
        summary="",
        actor=PROPOSER,
        key=f"{proposal_id}:nominate",
        rulebook_version="decree-152-2025",
    )
    for kind in form.required_documents:
        document = {
            "name": f"{kind}.pdf",
            "media_type": "application/pdf",
            "sha256": f"{kind}-1",
            "size": 10,
            "kind": kind,
        }
        proposal.attach_document(document, PROPOSER, f"{proposal_id}:{kind}")
    proposal.submit(PROPOSER, f"{proposal_id}:submit")
    proposal.open_appraisal(datetime(2026, 12, 1, tzinfo=UTC), SYSTEM, f"{proposal_id}:open")
    proposal.approve_appraisal(SECRETARY, f"{proposal_id}:approve")
    app.save(proposal)


class StandInStore:
    """The session's activities over the real command handlers, on in-memory persistence;
    the service holds two of the three key shares, as the default custody does."""

    def __init__(self) -> None:
        self.app = AwardsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        self.results: list[str] = []

    @activity.defn(name=SESSION_STEP)
    def session_step(self, step: SessionStepInput) -> SessionOutcome:
        session = apply_session(self.app, UUID(step.session_id), step.commands, self)
        return _outcome(session, list(step.commands))

    @activity.defn(name=SESSION_RESULTS)
    def session_results(self, results: SessionResults) -> None:
        session = load_session(self.app, UUID(results.session_id))
        assert session.result is not None
        self.results = [session.result[line]["outcome"] for line in session.line_ids]

    def election_key(self) -> dict[str, Any]:
        return KEY.to_json()

    def service_shares(self, session: CouncilSession) -> list[dict[str, Any]]:
        box = session.box_of_votes()
        rand = lambda: _random.randrange(1, Q)  # noqa: E731
        return [
            decryption_share(share, box.encrypted(), box.context, rand).to_json()
            for share in SHARES[: box.shares_missing]
        ]


@pytest.fixture
async def store(temporal_env: WorkflowEnvironment) -> AsyncIterator[StandInStore]:
    stand_in = StandInStore()
    with ThreadPoolExecutor(4) as pool:
        async with Worker(
            temporal_env.client,
            task_queue=QUEUE,
            workflows=[CouncilSessionWorkflow],
            activities=[stand_in.session_step, stand_in.session_results],
            activity_executor=pool,
        ):
            yield stand_in


async def prepared(
    env: WorkflowEnvironment, store: StandInStore, members: int, lines: int
) -> tuple[WorkflowHandle[Any, str], list[str], list[str]]:
    """A session convened, its agenda built, every member present, opened, voting open."""
    session_id = str(uuid4())
    names = [f"council.{n:02d}" for n in range(members)]
    handle = await env.client.start_workflow(
        CouncilSessionWorkflow.run,
        SessionCarry(session_id),
        id=f"council-session-{session_id}",
        task_queue=QUEUE,
        execution_timeout=timedelta(minutes=10),
    )
    convene = c.Convene(
        actor=SECRETARY,
        key="convene",
        session_id=session_id,
        year=2026,
        held_on="2026-12-10",
        place="Hà Nội",
        members=names,
        secretary=SECRETARY.id,
    )
    await handle.execute_update(CouncilSessionWorkflow.convene, ConveneRequest(convene))
    proposals = [str(uuid4()) for _ in range(lines)]
    steps: list[c.SessionCommand] = []
    for n, proposal_id in enumerate(proposals):
        appraised(store.app, UUID(proposal_id))
        item = AgendaItem(
            proposal_id, "vusta_certificate", "LHH X", "t", "decree-152-2025", COUNCIL
        )
        steps.append(c.AddItem(actor=SECRETARY, key=f"add-{n}", item=item.to_json()))
    for n, member in enumerate(names):
        steps.append(
            c.RecordAttendance(
                actor=SECRETARY, key=f"here-{n}", member=member, attendance="present"
            )
        )
    quorum = {"quorum": "2/3", "recused_count_toward_quorum": True}
    steps.append(c.Open(actor=SECRETARY, key="open", **quorum))  # type: ignore[arg-type]
    steps.append(c.OpenVoting(actor=SECRETARY, key="vote", **quorum))  # type: ignore[arg-type]
    for step in steps:
        await handle.execute_update(CouncilSessionWorkflow.step, SessionRequest(step))
    return handle, names, proposals


def ballot_of(store: StandInStore, handle: WorkflowHandle[Any, str], choice: str) -> dict[str, Any]:
    session = load_session(store.app, UUID(handle.id.removeprefix("council-session-")))
    box = session.box_of_votes()
    rand = lambda: _random.randrange(1, Q)  # noqa: E731
    return seal_list(dict.fromkeys(box.lines, choice), box.key(), box.context, rand).to_json()


async def test_a_member_ballot_arrives_once_and_the_last_one_counts_the_session(
    temporal_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle, names, _ = await prepared(temporal_env, store, members=3, lines=2)
    ballot = ballot_of(store, handle, "yes")
    first = SessionBallot(names[0], "council_member", names[0], ballot, f"{1:064x}")
    await handle.execute_update(CouncilSessionWorkflow.cast, first, id="cast-0")
    again = await handle.execute_update(CouncilSessionWorkflow.cast, first, id="cast-0")
    assert again.message == "ballot recorded"  # the same update answered, nothing added
    with pytest.raises(WorkflowUpdateFailedError):
        resent = SessionBallot(names[0], "council_member", names[0], ballot, f"{2:064x}")
        await handle.execute_update(CouncilSessionWorkflow.cast, resent)
    for n, name in enumerate(names[1:], start=2):
        request = SessionBallot(
            name, "council_member", name, ballot_of(store, handle, "yes"), f"{n:064x}"
        )
        await handle.execute_update(CouncilSessionWorkflow.cast, request)
    assert await handle.result() == "closed"
    assert store.results == ["approved", "approved"]


def test_the_box_leaves_the_workflow_sorted_by_receipt_in_parts() -> None:
    box = [{"receipt": f"{n:064x}", "ballot": {"x": "y" * 100}} for n in (3, 1, 2)]
    parts = box_parts(box, limit=450)
    assert [e["receipt"] for part in parts for e in part] == sorted(e["receipt"] for e in box)
    assert len(parts) == 2


async def test_a_session_of_25_members_and_40_lines_stays_far_below_history_limits(
    temporal_env: WorkflowEnvironment, store: StandInStore
) -> None:
    handle, names, _ = await prepared(temporal_env, store, members=25, lines=40)
    ballot = ballot_of(store, handle, "yes")  # one sealed list reused: fine for the history
    for n, name in enumerate(names):
        sealed = ballot if n == 0 else ballot_of(store, handle, "yes" if n % 5 else "no")
        request = SessionBallot(name, "council_member", name, sealed, f"{n + 1:064x}")
        await handle.execute_update(CouncilSessionWorkflow.cast, request)
    assert await handle.result() == "closed"
    history = await handle.fetch_history()
    size = len(json.dumps(history.to_json_dict()))
    updates = [
        e
        for e in history.events
        if e.HasField("workflow_execution_update_accepted_event_attributes")
    ]
    # Convening, an agenda of 40, attendance of 25, two openings; then one per member.
    assert len(updates) == 1 + 40 + 25 + 2 + 25  # Temporal's limit is 2,000 updates
    assert len(history.events) < 2_000  # and 51,200 events
    assert size < 15_000_000  # and 50 MB
    print(f"history: {len(history.events)} events, {size / 1e6:.1f} MB")
    assert store.results == ["approved"] * 40
