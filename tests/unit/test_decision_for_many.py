"""A decision for many: its checks, its text and annex, its signature block, the proposal's
side of it, and its PDF record."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from test_proposal import PRESIDENT, council_approved, key, state_level_approved, submitted

from domain.decision.aggregate import Decision, number_holder_id
from domain.decision.signing import Signature, SigningForm, signing_form
from domain.decision.text import Candidate, compose
from domain.kernel.errors import DomainError, InvalidInput
from domain.proposal.aggregate import Proposal
from domain.proposal.decision import parse_decision_number
from domain.proposal.lifecycle import Step, allowed_steps
from domain.proposal.states import DecisionOutcome, State, VoteStage
from services.audit import decision_record, record_pdf

NUMBER = parse_decision_number("05/QĐ-LHHVN")
ON = date(2026, 11, 23)  # the council votes of test_proposal close on 2026-11-20
KT = Signature(
    SigningForm.KT, "council.1", "Nguyễn Văn Phó", "PHÓ CHỦ TỊCH", "president", "CHỦ TỊCH", "d-1"
)


def candidate(proposal: Proposal) -> Candidate:
    """test_proposal's proposals share one id: each candidate here gets its own."""
    council = proposal.votes.get(VoteStage.COUNCIL.value)
    return Candidate(
        proposal_id=str(uuid4()),
        state=proposal.state,
        forwarded=proposal.forwarded,
        year=proposal.year,
        form=proposal.form,
        form_name="Cờ thi đua của Liên hiệp Hội Việt Nam",
        nominee_name=proposal.nominee.name,
        nominee_kind=proposal.nominee.kind.value,
        achievement=proposal.title,
        council_closed_on=council.result.closed_on if council and council.result else None,
    )


def test_a_decision_for_five_lists_five_awardees_under_one_number() -> None:
    five = [candidate(council_approved()) for _ in range(5)]
    text = compose(NUMBER, ON, five, [], KT)
    assert len(text.annex) == 5
    assert text.summary == "Về việc tặng Cờ thi đua của Liên hiệp Hội Việt Nam"
    assert text.articles[0].startswith("Điều 1. Tặng Cờ thi đua")
    assert any(
        b.startswith("Căn cứ kết quả họp Hội đồng") and "20/11/2026" in b for b in text.bases
    )
    assert text.proposed_by.startswith("Theo đề nghị của")


def test_rule_decision_date_not_before_the_council_vote_of_every_proposal() -> None:
    with pytest.raises(InvalidInput, match="before the council vote closed on 2026-11-20"):
        compose(NUMBER, date(2026, 11, 19), [candidate(council_approved())], [], KT)


def test_rule_only_council_approved_proposals_are_decided() -> None:
    early = candidate(submitted())
    with pytest.raises(DomainError, match=f"proposal {early.proposal_id}"):
        compose(NUMBER, ON, [early], [], KT)


def test_rule_a_forwarded_form_is_never_decided_by_vusta() -> None:
    with pytest.raises(DomainError, match="decided by the state body"):
        compose(NUMBER, ON, [candidate(state_level_approved())], [], KT)


def test_a_proposal_is_listed_once_and_one_left_off_needs_a_reason() -> None:
    one = candidate(council_approved())
    with pytest.raises(InvalidInput, match="listed twice"):
        compose(NUMBER, ON, [one, one], [], KT)
    with pytest.raises(InvalidInput, match="a reason is required"):
        compose(NUMBER, ON, [candidate(council_approved())], [(one, " ")], KT)
    with pytest.raises(InvalidInput, match="at least one"):
        compose(NUMBER, ON, [], [], KT)


@pytest.mark.parametrize(
    ("form", "block"),
    [
        (SigningForm.KT, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        (SigningForm.TUQ, ["TUQ. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        (SigningForm.TL, ["TL. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        (SigningForm.Q, ["Q. CHỦ TỊCH"]),
        (SigningForm.TM, ["TM. ĐOÀN CHỦ TỊCH", "CHỦ TỊCH"]),
        (SigningForm.OWN, ["CHỦ TỊCH"]),
    ],
)
def test_the_signature_block_shows_the_signing_form(form: SigningForm, block: list[str]) -> None:
    signature = Signature(form, "council.1", "A", "PHÓ CHỦ TỊCH", "president", "CHỦ TỊCH")
    assert signature.block() == block
    assert Signature.from_json(signature.to_json()) == signature


def test_signing_forms_are_read_with_or_without_their_dot() -> None:
    assert signing_form("KT.") == SigningForm.KT
    assert signing_form("tuq") == SigningForm.TUQ
    with pytest.raises(InvalidInput):
        signing_form("XYZ")


def test_the_decision_id_is_the_number_holder_of_its_issuer_and_year() -> None:
    text = compose(NUMBER, ON, [candidate(council_approved())], [], KT)
    decision = Decision.issue(text, {"sha256": "a" * 64}, PRESIDENT, "k")
    assert decision.id == number_holder_id(NUMBER, 2026)
    assert decision.number == "05/QĐ-LHHVN" and decision.signature.holder == "president"
    assert [o[1] for o in decision.outcomes()] == ["awarded"]


def test_a_proposal_on_a_decision_for_many_is_decided_with_its_number() -> None:
    proposal = council_approved()
    proposal.decide_by_decision(
        "d",
        DecisionOutcome.AWARDED,
        NUMBER,
        ON,
        ("KT", "council.1", "president"),
        "",
        PRESIDENT,
        key(),
    )
    assert proposal.state == State.DECIDED
    assert proposal.decision is not None and proposal.decision.number == "05/QĐ-LHHVN"
    assert proposal.decision.awarded and proposal.decision.by == "council.1"


def test_a_proposal_left_off_a_decision_is_rejected_only_with_a_reason() -> None:
    proposal = council_approved()
    signing = ("own", "president", "president")
    with pytest.raises(InvalidInput):
        proposal.decide_by_decision(
            "d", DecisionOutcome.REJECTED, NUMBER, ON, signing, "", PRESIDENT, key()
        )
    proposal.decide_by_decision(
        "d", DecisionOutcome.REJECTED, NUMBER, ON, signing, "chưa đủ", PRESIDENT, key()
    )
    assert proposal.decision is not None and not proposal.decision.awarded


def test_the_step_is_offered_only_for_forms_vusta_decides() -> None:
    assert Step.DECIDE_BY_DECISION in allowed_steps(State.COUNCIL_APPROVED)
    assert Step.DECIDE_BY_DECISION not in allowed_steps(State.COUNCIL_APPROVED, forwarded=True)


def test_the_decision_record_renders_the_same_bytes_twice() -> None:
    five = [candidate(council_approved()) for _ in range(5)]
    text = compose(NUMBER, ON, five, [], KT)
    font = record_pdf.find_font(None)
    first = decision_record.render(text, font)
    assert first.startswith(b"%PDF") and first == decision_record.render(text, font)
