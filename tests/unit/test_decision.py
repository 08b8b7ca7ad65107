"""Decision numbers in the Decree 30/2020 form, their uniqueness key, and decision dates."""

from __future__ import annotations

from datetime import date

import pytest

from domain.kernel.errors import InvalidInput
from domain.proposal.decision import DecisionNumber, check_decision_date, parse_decision_number


@pytest.mark.parametrize(
    ("text", "number"), [("17/QĐ-LHHVN", 17), ("05/QĐ-LHHVN", 5), ("123/QĐ-LHHVN", 123)]
)
def test_decision_numbers_in_the_official_form_are_parsed(text: str, number: int) -> None:
    assert parse_decision_number(text) == DecisionNumber(number=number, kind="QĐ", issuer="LHHVN")


@pytest.mark.parametrize("text", ["17/QĐ-LHHVN", "05/QĐ-LHHVN", "123/QĐ-LHHVN"])
def test_a_parsed_decision_number_prints_as_written(text: str) -> None:
    assert str(parse_decision_number(text)) == text


def test_an_issuer_with_several_parts_is_kept_whole() -> None:
    assert parse_decision_number("08/QĐ-HĐTĐKT-LHHVN").issuer == "HĐTĐKT-LHHVN"


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_decision_number("  17/QĐ-LHHVN ").number == 17


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("5/QĐ-LHHVN", "leading zero"),
        ("017/QĐ-LHHVN", "leading zero"),
        ("005/QĐ-LHHVN", "leading zero"),
        ("00/QĐ-LHHVN", "start at 01"),
        ("17/TB-LHHVN", "must be a decision"),
        ("17/TTr-LHHVN", "not of the form"),
        ("17 / QĐ-LHHVN", "not of the form"),
        ("17/QD-LHHVN", "must be a decision"),
        ("17/qđ-lhhvn", "not of the form"),
        ("17/QĐ", "not of the form"),
        ("QĐ-17", "not of the form"),
        ("Số: 17/QĐ-LHHVN", "not of the form"),
        ("", "not of the form"),
        ("garbage", "not of the form"),
    ],
)
def test_decision_numbers_not_in_the_official_form_are_refused(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        parse_decision_number(text)


def test_refusal_of_a_missing_leading_zero_shows_the_right_spelling() -> None:
    with pytest.raises(InvalidInput, match="write 05/QĐ-LHHVN"):
        parse_decision_number("5/QĐ-LHHVN")


def test_the_series_restarts_every_year() -> None:
    number = parse_decision_number("17/QĐ-LHHVN")
    assert number.key(2026) != number.key(2027)


def test_the_same_number_in_the_same_year_has_the_same_key() -> None:
    first = parse_decision_number("17/QĐ-LHHVN")
    assert first.key(2026) == parse_decision_number("17/QĐ-LHHVN").key(2026)


def test_issuers_keep_their_own_series() -> None:
    vusta = parse_decision_number("17/QĐ-LHHVN")
    council = parse_decision_number("17/QĐ-HĐTĐKT")
    assert vusta.key(2026) != council.key(2026)


def test_the_key_ignores_the_leading_zero() -> None:
    assert DecisionNumber(5, "QĐ", "LHHVN").key(2026) == "LHHVN/QĐ/2026/5"


def test_a_decision_may_not_precede_the_council_vote() -> None:
    with pytest.raises(InvalidInput, match="before the council vote closed on 2026-01-05"):
        check_decision_date(date(2026, 1, 4), date(2026, 1, 5))


@pytest.mark.parametrize("decided_on", [date(2026, 1, 5), date(2026, 1, 6), date(2027, 1, 1)])
def test_a_decision_on_or_after_the_council_vote_is_accepted(decided_on: date) -> None:
    check_decision_date(decided_on, date(2026, 1, 5))


def test_any_decision_date_is_accepted_when_no_council_vote_closed() -> None:
    check_decision_date(date(2000, 1, 1), None)


@pytest.mark.parametrize("text", ["１７/QĐ-LHHVN", "١٧/QĐ-LHHVN"])
def test_digits_of_other_scripts_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_decision_number(text)
