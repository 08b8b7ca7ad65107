"""Steps are sent to the workflow by method, under the update names recorded in histories."""

from __future__ import annotations

from temporalio import workflow

from services.application.process import STEP_UPDATES, step_update_id
from workflows.proposal import ProposalWorkflow

# The names in every recorded history and in the ids of steps sent with an Idempotency-Key.
RECORDED = {
    "submit",
    "cluster_vote",
    "council_vote",
    "tally_share",
    "appraisal",
    "decision",
    "withdraw",
    "hold",
    "release",
    "forward",
    "external_outcome",
    "publish",
    "uphold_complaint",
    "decided_by_decision",  # --- decide ---
    "session_result",
}


def test_each_step_is_sent_as_the_update_its_method_defines() -> None:
    for step in STEP_UPDATES:
        assert step.method._defn.name == step.name


def test_the_update_names_are_those_recorded_and_cover_every_update() -> None:
    defined = workflow._Definition.must_from_class(ProposalWorkflow).updates
    assert {step.name for step in STEP_UPDATES} == RECORDED == set(defined)


def test_a_keyed_step_keeps_its_update_id() -> None:
    # Ids of steps sent before updates were called by method still find their outcome.
    assert step_update_id("cluster_vote", "thanh-hoa.member", "k1") == (
        "cluster_vote-e411a3aa2b37752dda8782f932f81bad"
    )
