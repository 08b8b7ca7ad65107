"""Decision numbers (Decree 30/2020 form) and decision dates."""

from __future__ import annotations

from datetime import date

import pytest

from domain.decision import DecisionNumber, check_decision_date, parse_decision_number
from domain.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "number"), [("17/QĐ-LHHVN", 17), ("05/QĐ-LHHVN", 5), ("123/QĐ-LHHVN", 123)]
)
def test_valid_decision_numbers_parse(text: str, number: int) -> None:
    parsed = parse_decision_number(text)
    assert parsed == DecisionNumber(number=number, kind="QĐ", issuer="LHHVN")
    assert str(parsed) == text


@pytest.mark.parametrize(
    "text",
    [
        "5/QĐ-LHHVN",
        "017/QĐ-LHHVN",
        "00/QĐ-LHHVN",
        "17/TTr-LHHVN",
        "17 / QĐ-LHHVN",
        "QĐ-17",
        "",
        "17/QD-LHHVN",
    ],
)
def test_malformed_decision_numbers_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_decision_number(text)


def test_the_series_restarts_every_year() -> None:
    number = parse_decision_number("17/QĐ-LHHVN")
    assert number.key(2026) != number.key(2027)


def test_issuers_keep_their_own_series() -> None:
    assert parse_decision_number("17/QĐ-LHHVN").key(2026) != parse_decision_number(
        "17/QĐ-HĐTĐKT"
    ).key(2026)


def test_decision_may_not_precede_the_council_vote() -> None:
    with pytest.raises(InvalidInput, match="before the council vote"):
        check_decision_date(date(2026, 1, 4), date(2026, 1, 5))
    check_decision_date(date(2026, 1, 5), date(2026, 1, 5))
    check_decision_date(date(2026, 1, 5), None)
