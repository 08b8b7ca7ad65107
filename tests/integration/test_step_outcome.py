"""What the one-step activity answers the workflow: the state, and only the votes it touched."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.kernel.actor import SYSTEM, Actor, Role
from domain.proposal.commands import Hold, OpenVote, Submit
from domain.proposal.forms import find_form
from domain.proposal.rules import CLUSTER_DEFAULT
from domain.proposal.states import VoteStage
from services.activities.proposal import ProposalActivities
from services.runtime import Runtime
from workflows.messages import StepInput

pytestmark = pytest.mark.integration

PROPOSER = Actor("ninh-binh.proposer", Role.PROPOSER)
SECRETARY = Actor("vusta.secretary", Role.COUNCIL_SECRETARY)


def test_only_the_vote_a_step_opened_is_reported_and_no_other(runtime: Runtime) -> None:
    app, pid = runtime.app, uuid4()
    app.nominate(
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
        app.attach_document(pid, {**document, "kind": kind}, PROPOSER, kind)
    activities = ProposalActivities(app, runtime.directory, runtime.custody)
    opening = OpenVote(
        actor=SYSTEM,
        key="submit:vote",
        stage=VoteStage.CLUSTER,
        rule=asdict(CLUSTER_DEFAULT),
        deadline=datetime(2026, 12, 1, tzinfo=UTC),
    )
    submitted = [Submit(actor=PROPOSER, key="submit"), opening]
    opened = activities.take_step(StepInput(str(pid), submitted))
    assert list(opened.votes) == ["cluster"]
    held = Hold(actor=SECRETARY, key="hold", reason="kiểm tra")
    outcome = activities.take_step(StepInput(str(pid), [held]))
    assert (outcome.state, outcome.votes) == ("on_hold", {})
