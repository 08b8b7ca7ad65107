"""State-level forms are forwarded and their outcome recorded; conference-voted proposals start
past the cluster vote; a Flag is never proposed directly."""

from __future__ import annotations

from datetime import date

import pytest
from test_proposal import (
    NOW,
    SECRETARY,
    conference_voted,
    council_approved,
    decide,
    forward,
    forwarded,
    key,
    nominate,
    record_conference_vote,
    record_outcome,
    state_level_approved,
    submitted,
)

from domain.kernel.actor import SYSTEM
from domain.kernel.errors import DomainError, IllegalTransition, InvalidInput
from domain.proposal.forms import find_form
from domain.proposal.forwarding import (
    DECREE_152,
    LAW_06_DECREE_98,
    check_direct_nomination,
    rulebook_code_on,
)
from domain.proposal.lifecycle import Step, allowed_steps, check_route
from domain.proposal.states import State


@pytest.mark.parametrize("form", ["vusta_flag", "government_flag"])
def test_rule_conference_only_refuses_a_direct_flag_proposal(form: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_direct_nomination(find_form(form))
    assert "rule conference_only" in str(refused.value)


@pytest.mark.parametrize("form", ["vusta_certificate", "vusta_medal"])
def test_a_certificate_or_medal_is_still_proposed_directly(form: str) -> None:
    check_direct_nomination(find_form(form))


def test_rule_rulebook_version_is_the_one_in_force_on_the_lodging_day() -> None:
    assert rulebook_code_on(date(2025, 6, 30)) == LAW_06_DECREE_98
    assert rulebook_code_on(date(2025, 7, 1)) == DECREE_152


def test_a_nomination_records_its_rulebook_version_and_route() -> None:
    proposal = nominate("government_flag")
    assert (proposal.rulebook_version, proposal.forwarded) == (DECREE_152, True)
    assert not nominate("vusta_certificate").forwarded


def test_a_conference_vote_puts_the_proposal_past_the_cluster_vote_with_its_records() -> None:
    proposal = conference_voted()
    assert proposal.state == State.CLUSTER_APPROVED
    assert proposal.conference_id == "cum-4:2026"
    kinds = {d.kind for d in proposal.dossier.documents}
    assert kinds == {"review_minutes", "ballot_count"}
    proposal.open_appraisal(NOW, SYSTEM, key())
    assert proposal.state == State.APPRAISAL


def test_a_certificate_carried_by_the_conference_is_past_the_cluster_vote_too() -> None:
    proposal = nominate("vusta_certificate")
    record_conference_vote(proposal)
    assert proposal.state == State.CLUSTER_APPROVED
    proposal.open_appraisal(NOW, SYSTEM, key())
    assert proposal.state == State.APPRAISAL


def test_a_repeated_conference_vote_is_refused_once_past_the_draft() -> None:
    proposal = conference_voted()
    with pytest.raises(IllegalTransition):
        record_conference_vote(proposal)


def test_rule_forward_only_from_council_approved() -> None:
    for state in State:
        if state != State.COUNCIL_APPROVED:
            with pytest.raises(IllegalTransition):
                check_route(Step.FORWARD, state, forwarded=True)
    check_route(Step.FORWARD, State.COUNCIL_APPROVED, forwarded=True)


def test_rule_forward_only_for_a_forwarded_form() -> None:
    proposal = council_approved()  # a VUSTA Flag: VUSTA decides it
    with pytest.raises(IllegalTransition) as refused:
        forward(proposal)
    assert "only a state-level form is forwarded" in str(refused.value)


def test_rule_decide_is_refused_for_a_forwarded_form() -> None:
    proposal = state_level_approved()
    with pytest.raises(IllegalTransition) as refused:
        decide(proposal)
    assert "decided by the state body" in str(refused.value)
    assert Step.DECIDE not in allowed_steps(proposal.state, forwarded=True)
    assert Step.FORWARD in allowed_steps(proposal.state, forwarded=True)


def test_forwarding_records_the_letter_in_the_dossier() -> None:
    proposal = forwarded()
    assert proposal.state == State.FORWARDED
    assert proposal.forwarding is not None
    assert proposal.forwarding.letter_number == "05/TTr-LHHVN"
    assert proposal.dossier.find(proposal.forwarding.letter_sha256, "forwarding_letter")


def test_a_forwarding_letter_needs_a_decree_30_number() -> None:
    proposal = state_level_approved()
    with pytest.raises(InvalidInput):
        proposal.forward("TTr 5", date(2026, 11, 25), "Ban TĐKT", {}, SECRETARY, key())


def test_rule_external_outcome_only_from_forwarded() -> None:
    for state in State:
        if state != State.FORWARDED:
            with pytest.raises(IllegalTransition):
                check_route(Step.RECORD_EXTERNAL_OUTCOME, state, forwarded=True)
    with pytest.raises(IllegalTransition):
        record_outcome(state_level_approved())


def test_the_external_outcome_closes_the_proposal_with_its_document() -> None:
    proposal = forwarded()
    record_outcome(proposal)
    assert proposal.state == State.EXTERNALLY_DECIDED and proposal.is_closed
    outcome = proposal.external_outcome
    assert outcome is not None and outcome.awarded
    assert (outcome.number, outcome.issuer) == ("123/QĐ-TTg", "Thủ tướng")
    assert proposal.dossier.find(outcome.document_sha256, "external_decision")


def test_an_external_decision_dated_before_the_forwarding_is_refused() -> None:
    with pytest.raises(InvalidInput):
        record_outcome(forwarded(), on=date(2026, 11, 1))


def test_an_external_decision_needs_its_issuer() -> None:
    with pytest.raises(InvalidInput):
        record_outcome(forwarded(), issuer=" ")


def test_a_missed_external_outcome_deadline_is_a_reminder_that_keeps_waiting() -> None:
    proposal = forwarded()
    proposal.miss_deadline("external_outcome", proposal.created_on, SYSTEM, key())
    assert proposal.state == State.FORWARDED


def test_a_certificate_keeps_skipping_the_cluster_vote() -> None:
    assert submitted("vusta_certificate").cluster_vote_required is False


def test_the_upcast_dates_agree_with_the_shipped_rulebook_versions() -> None:
    # Old Nominated events are dated by rulebook_code_on (the domain cannot import the
    # rulebook's defaults there without a cycle): it must name the version the defaults do.
    from domain.rulebook.defaults import DEFAULT_VERSIONS, find_version

    for day in (date(2024, 1, 1), date(2025, 6, 30), date(2025, 7, 1), date(2026, 12, 2)):
        assert rulebook_code_on(day) == find_version(DEFAULT_VERSIONS, day).code
