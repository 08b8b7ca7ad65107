"""Bearer tokens: signed, expiring, refused when altered."""

from __future__ import annotations

import pytest

from services.tokens import TokenError, issue_token, verify_token

SECRET = b"s" * 32


def test_a_token_names_its_user() -> None:
    assert verify_token(issue_token("president", SECRET, 1), SECRET) == "president"


def test_an_expired_token_is_refused() -> None:
    token = issue_token("president", SECRET, 1, now=1_000_000)
    with pytest.raises(TokenError, match="expired"):
        verify_token(token, SECRET, now=1_000_000 + 3601)


def test_a_token_signed_with_another_key_is_refused() -> None:
    with pytest.raises(TokenError, match="signature"):
        verify_token(issue_token("admin", b"other", 1), SECRET)


def test_a_token_whose_payload_was_changed_is_refused() -> None:
    token = issue_token("auditor", SECRET, 1)
    forged = issue_token("admin", SECRET, 1).split(".")[0] + "." + token.split(".")[1]
    with pytest.raises(TokenError):
        verify_token(forged, SECRET)


@pytest.mark.parametrize("token", ["", "abc", "a.b", ".", "x" * 50])
def test_garbage_is_refused(token: str) -> None:
    with pytest.raises(TokenError):
        verify_token(token, SECRET)
