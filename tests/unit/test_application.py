"""The application's handler table on eventsourcing's in-memory persistence: one step, one save."""

from __future__ import annotations

import typing
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from sealing import ELECTION_KEY

from domain.kernel.actor import SYSTEM, Actor, Role
from domain.kernel.errors import IllegalTransition
from domain.proposal.aggregate import Proposal
from domain.proposal.commands import (
    Command,
    Hold,
    OpenAppraisal,
    OpenVote,
    RecordBallot,
    Release,
    Submit,
)
from domain.proposal.forms import find_form
from domain.proposal.rules import CLUSTER_DEFAULT
from domain.proposal.states import VoteStage
from domain.voting.ballot import BallotRule
from services.application.proposals import HANDLERS, AwardsApplication

PROPOSER = Actor("ninh-binh.proposer", Role.PROPOSER)
SECRETARY = Actor("vusta.secretary", Role.COUNCIL_SECRETARY)
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
ELECTORATE = ["lhh-a", "lhh-b", "lhh-c"]


class Directory:
    def electorate(self, proposal: Proposal, stage: VoteStage, rule: BallotRule) -> list[str]:
        return ELECTORATE

    def election_key(self) -> dict[str, Any]:
        return ELECTION_KEY

    def service_shares(self, proposal: Proposal, stage: VoteStage) -> list[dict[str, Any]]:
        return []


@pytest.fixture
def app() -> AwardsApplication:
    return AwardsApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def complete_draft(app: AwardsApplication) -> UUID:
    pid = uuid4()
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
        key="nominate",
        rulebook_version="decree-152-2025",
    )
    for kind in ("request_letter", "achievement_report"):
        document = {"name": kind, "media_type": "application/pdf", "sha256": kind, "size": 1}
        app.attach_document(pid, {**document, "kind": kind}, PROPOSER, kind)
    return pid


def submit_and_open(key: str = "submit") -> list[Command]:
    return [
        Submit(actor=PROPOSER, key=key),
        OpenVote(
            actor=SYSTEM,
            key=f"{key}:vote",
            stage=VoteStage.CLUSTER,
            rule=asdict(CLUSTER_DEFAULT),
            deadline=NOW,
        ),
    ]


def test_every_command_has_a_handler() -> None:
    assert set(HANDLERS) == set(typing.get_args(Command))


def test_a_step_saves_all_its_events_in_one_go(app: AwardsApplication) -> None:
    pid = complete_draft(app)
    before = app.proposal(pid).version
    proposal = app.apply(pid, submit_and_open(), Directory())
    assert proposal.state == "cluster_voting"
    assert list(proposal.votes["cluster"].electorate) == ELECTORATE
    assert app.proposal(pid).version == before + 2


def test_a_step_applied_again_with_its_key_writes_nothing(app: AwardsApplication) -> None:
    pid = complete_draft(app)
    app.apply(pid, submit_and_open(), Directory())
    version = app.proposal(pid).version
    again = app.apply(pid, submit_and_open(), Directory())
    assert again.version == version == app.proposal(pid).version


def test_a_step_refused_part_way_writes_nothing(app: AwardsApplication) -> None:
    pid = complete_draft(app)
    version = app.proposal(pid).version
    late = OpenAppraisal(actor=SYSTEM, key="appraisal", deadline=NOW)  # the cluster vote first
    with pytest.raises(IllegalTransition):
        app.apply(pid, [*submit_and_open(), late], Directory())
    assert app.proposal(pid).version == version


def test_an_appraisal_that_is_not_due_is_skipped(app: AwardsApplication) -> None:
    pid = complete_draft(app)
    app.apply(pid, submit_and_open(), Directory())
    ballot = RecordBallot(
        actor=Actor("lhh-a", Role.CLUSTER_MEMBER), key="b", stage=VoteStage.CLUSTER, voter="lhh-a"
    )
    due = OpenAppraisal(actor=SYSTEM, key="b:appraisal", deadline=NOW, if_approved=True)
    assert app.apply(pid, [ballot, due], Directory()).state == "cluster_voting"


def test_hold_and_release_record_who_and_why(app: AwardsApplication) -> None:
    pid = complete_draft(app)
    app.apply(pid, submit_and_open(), Directory())
    app.apply(pid, [Hold(actor=SECRETARY, key="h", reason="khiếu nại")])
    proposal = app.apply(pid, [Release(actor=SECRETARY, key="r", reason="đã xác minh")])
    assert proposal.state == "cluster_voting"
    held = app.history(pid)[-2]
    assert (held["type"], held["role"], held["data"]["reason"]) == (
        "PutOnHold",
        "council_secretary",
        "khiếu nại",
    )
