"""Messages render in English and Vietnamese, never raise, and the language follows the reader."""

from __future__ import annotations

import pytest
from temporalio.exceptions import ApplicationError

from domain.kernel.errors import BallotError, DomainError, IllegalTransition, InvalidInput
from domain.kernel.message import Message, fill
from domain.proposal.decision import parse_decision_number
from domain.proposal.states import State
from services.api.text import clean_tree
from services.application.process import _refusal
from services.application.revocations import Revoked
from services.application.tokens import TokenError, issue_token, verify_token
from services.application.trustee import Refused
from services.i18n.catalogue import Language, both, negotiate, render


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, Language.VI),
        ("", Language.VI),
        ("vi", Language.VI),
        ("vi-VN", Language.VI),
        ("en", Language.EN),
        ("EN-gb", Language.EN),
        ("en-US;q=0.8", Language.EN),
        ("en-US,en;q=0.9,vi;q=0.8", Language.EN),
        ("vi;q=0.5, en;q=0.8", Language.EN),
        ("en;q=0.9, vi", Language.VI),
        ("en, vi", Language.EN),
        ("en;q=0.5, vi;q=0.5", Language.EN),  # a tie goes to the first named
        ("fr", Language.VI),  # nothing we speak: Vietnamese
        ("fr-FR, en;q=0.1", Language.EN),
        ("*", Language.VI),
        ("en;q=0", Language.VI),  # q=0 means "not English"
        ("en;q=abc", Language.VI),
        ("en;q=2", Language.VI),
        ("en;q=nan", Language.VI),
        (";;,,;q=", Language.VI),
        ("x" * 10_000 + ",en", Language.EN),
        (",".join(["fr"] * 100) + ",en", Language.VI),  # only the first ranges are read
    ],
)
def test_the_language_follows_accept_language_and_is_vietnamese_by_default(
    header: str | None, language: Language
) -> None:
    assert negotiate(header) == language


def test_a_message_renders_english_and_vietnamese_with_its_parameters() -> None:
    message = Message("no proposal {id}", id="p-1")
    assert str(message) == "no proposal p-1"
    assert both(message) == {"vi": "không tìm thấy hồ sơ đề nghị p-1", "en": "no proposal p-1"}


def test_an_english_text_without_translation_is_english_in_both_languages() -> None:
    message = Message("a sentence nobody translated {n}", n=3)
    assert both(message) == {
        "vi": "a sentence nobody translated 3",
        "en": "a sentence nobody translated 3",
    }


@pytest.mark.parametrize(
    ("template", "values", "text"),
    [
        ("no proposal {id}", {}, "no proposal {id}"),  # a missing parameter stays visible
        ("{n:03d} and {n:zz}", {"n": 7}, "007 and 7"),  # a bad format spec falls back
        ("{n:d}", {"n": "x"}, "x"),
        ("unbalanced { brace", {}, "unbalanced { brace"),
        ("a proof is {c, v}", {"c": 1}, "a proof is {c, v}"),  # literal braces stay
        ("{0} {a.__class__} {a[0]}", {"a": "s"}, "{0} {a.__class__} {a[0]}"),  # no lookups
        ("{text!r}", {"text": "x"}, "'x'"),
        ("{{literal}} {v}", {"v": "{not a field}"}, "{literal} {not a field}"),
    ],
)
def test_filling_a_template_never_raises(
    template: str, values: dict[str, object], text: str
) -> None:
    assert fill(template, values) == text


def test_a_translation_with_a_missing_parameter_still_renders() -> None:
    message = Message("{voter} has already voted; one vote per member")
    assert (
        render(message, Language.VI) == "{voter} đã bỏ phiếu; mỗi thành viên chỉ được bỏ một phiếu"
    )


def test_a_message_crosses_plain_data_and_comes_back_equal() -> None:
    error = IllegalTransition(State.SUBMITTED, "submit", Message("no proposal {id}", id=4))
    data = error.message.to_json()
    assert Message.from_json(data) == error.message
    assert Message.from_json({"template": 3}) is None
    assert Message.from_json("text") is None
    assert Message.from_json({"template": "x", "params": ["a"]}) is None
    odd = Message.from_json({"template": "{a} {b}", "params": {"a": [1], "b": {"no": 1}}})
    assert odd is not None and str(odd) == "[1] {'no': 1}"


def test_a_domain_error_keeps_its_template_and_parameters_and_reads_english() -> None:
    error = BallotError("{voter} has already voted; one vote per member", voter="thanh-hoa")
    assert error.template == "{voter} has already voted; one vote per member"
    assert error.params == {"voter": "thanh-hoa"}
    assert str(error) == "thanh-hoa has already voted; one vote per member"
    plain = DomainError("the dossier is incomplete: missing request_letter")
    assert str(plain) == plain.template == "the dossier is incomplete: missing request_letter"
    assert plain.params == {}


def test_a_refused_transition_names_the_state_in_vietnamese() -> None:
    error = IllegalTransition(State.ON_HOLD, "put on hold")
    assert (error.state, error.step) == (State.ON_HOLD, "put on hold")
    assert str(error) == "cannot put on hold a proposal in state on_hold"
    assert render(error.message, Language.VI) == (
        "không thể tạm dừng hồ sơ đề nghị đang ở trạng thái “Tạm dừng”"
    )
    hinted = IllegalTransition(State.APPRAISAL, "attach a document to", "the dossier is locked")
    assert render(hinted.message, Language.VI) == (
        "không thể đính kèm tài liệu vào hồ sơ đề nghị đang ở trạng thái “Đang thẩm định”:"
        " hồ sơ đã bị khóa"
    )
    unknown = IllegalTransition("limbo", "levitate")
    assert (
        both(unknown.message)["vi"] == "không thể levitate hồ sơ đề nghị đang ở trạng thái “limbo”"
    )


def test_a_converted_domain_rule_answers_in_both_languages() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_decision_number("5/QĐ-LHHVN")
    assert both(refused.value.message) == {
        "vi": "số quyết định '5/QĐ-LHHVN': số nhỏ hơn 10 phải có một chữ số 0 ở đầu,"
        " các số khác thì không (viết là 05/QĐ-LHHVN)",
        "en": "decision number '5/QĐ-LHHVN': numbers below 10 take one leading zero and others"
        " none (write 05/QĐ-LHHVN)",
    }


def test_a_refusal_from_the_workflow_keeps_its_template() -> None:
    error = IllegalTransition(State.SUBMITTED, "submit")
    cause = ApplicationError(
        str(error), {"state": "submitted", "message": error.message.to_json()}, type=error.code
    )
    refused = _refusal(cause)
    assert (refused.code, refused.state, str(refused)) == (error.code, "submitted", str(error))
    assert render(refused.message, Language.VI) == (
        "không thể gửi hồ sơ đề nghị đang ở trạng thái “Đã gửi”"
    )


def test_a_refusal_recorded_before_templates_keeps_its_english() -> None:
    old = ApplicationError("cannot submit a proposal in state submitted", {"state": "submitted"})
    refused = _refusal(old)
    assert both(refused.message)["vi"] == "cannot submit a proposal in state submitted"
    broken = ApplicationError("refused", {"state": "draft", "message": {"template": None}})
    assert str(_refusal(broken)) == "refused"
    assert str(_refusal(ApplicationError("bare"))) == "bare"
    assert both(_refusal(None).message)["vi"] == "thao tác bị từ chối"


def test_a_refusal_the_api_reads_before_any_step_is_translated() -> None:
    revoked = Revoked(whole_user=True, reason="")
    assert render(revoked.message, Language.VI) == (
        "mã truy cập đã bị thu hồi cùng mọi mã cấp trước đó cho người dùng này; hãy xin mã mới"
    )
    with pytest.raises(TokenError) as expired:
        verify_token(issue_token("auditor", b"k", 1, now=0), b"k")
    assert both(expired.value.message) == {
        "vi": "mã truy cập đã hết hạn; hãy xin mã mới",
        "en": "the bearer token has expired; ask for a new one",
    }
    with pytest.raises(ValueError) as nested:
        clean_tree({"a": {"b\x01": 1}})
    carried = getattr(nested.value, "message", None)
    assert isinstance(carried, Message)
    assert render(carried, Language.VI) == "a.<key>: không được chứa ký tự điều khiển U+0001"


def test_a_trustees_refusal_keeps_the_domains_reason_translatable() -> None:
    reason = InvalidInput("a ciphertext is a pair of hexadecimal numbers")
    refused = Refused("not a vote this share can count: {error}", error=reason.message)
    assert render(refused.message, Language.VI) == (
        "không thể dùng phần khóa này để kiểm phiếu cuộc bỏ phiếu này:"
        " bản mã phải là một cặp số thập lục phân"
    )
