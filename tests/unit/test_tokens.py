"""Bearer tokens: signed, expiring, with an id, refused when altered."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from infra.settings import Settings
from services.application.tokens import TokenError, issue_token, read_token, verify_token

SECRET = b"s" * 32


def test_a_token_names_its_user() -> None:
    assert verify_token(issue_token("president", SECRET, 1), SECRET).username == "president"


def test_every_token_has_its_own_id() -> None:
    first, second = (read_token(issue_token("admin", SECRET, 1), SECRET) for _ in range(2))
    assert first.token_id and first.token_id != second.token_id


def test_issue_time_keeps_milliseconds() -> None:
    # "Revoke every token issued before now" must not catch one issued later in that second.
    assert read_token(issue_token("admin", SECRET, 1, now=1_000.25), SECRET).issued_at == 1_000.25


def test_the_default_lifetime_is_a_working_day() -> None:
    assert Settings(_env_file=None).token_ttl_hours == 8  # type: ignore[call-arg]


def test_an_expired_token_is_refused() -> None:
    token = issue_token("president", SECRET, 1, now=1_000_000)
    with pytest.raises(TokenError, match="expired"):
        verify_token(token, SECRET, now=1_000_000 + 3601)


def test_a_token_from_before_ids_is_known_by_its_payload() -> None:
    payload = base64.urlsafe_b64encode(
        json.dumps({"sub": "auditor", "iat": 10, "exp": 4_000_000_000}).encode()
    )
    text = payload.rstrip(b"=").decode()
    mac = hmac.new(SECRET, text.encode(), hashlib.sha256).digest()
    token = text + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    claims = verify_token(token, SECRET)
    assert claims.username == "auditor" and claims.token_id.startswith("sha256:")


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
