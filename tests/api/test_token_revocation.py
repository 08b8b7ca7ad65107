"""Revoked tokens are refused on the very next request, by every API process; `awards token`
issues short-lived tokens with an id and revokes one token or all of a user's."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from journey import SECRET
from typer.testing import CliRunner

from services.api.app import create_app
from services.application.tokens import read_token
from services.cli.main import app as cli
from services.runtime import Runtime

pytestmark = pytest.mark.integration
USER = "an-giang.member"  # a user no other test signs in as, so revoking all its tokens is safe


def _awards(database_url: str, tmp_path: Path, *args: str) -> str:
    env = {
        "AWARDS_DATABASE_URL": database_url,
        "AWARDS_SECRET_KEY": SECRET,
        "AWARDS_DATA_DIR": str(tmp_path),
    }
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_revoked_token_is_refused_by_every_api_process(
    api: httpx.AsyncClient, runtime: Runtime, database_url: str, tmp_path: Path
) -> None:
    token = _awards(database_url, tmp_path, "token", "issue", USER)
    other = _awards(database_url, tmp_path, "token", "issue", USER)
    assert (await api.get("/api/me", headers=_bearer(token))).status_code == 200

    _awards(database_url, tmp_path, "token", "revoke", token, "--reason", "lost laptop")

    # A second API process on the same store refuses it too, with no delay.
    second = Runtime.build(runtime.settings, database_url, runtime.process.client)
    try:
        transport = httpx.ASGITransport(app=create_app(second))
        async with httpx.AsyncClient(transport=transport, base_url="http://b.test") as api_b:
            for client in (api, api_b):
                refused = await client.get("/api/me", headers=_bearer(token))
                assert refused.status_code == 401
                body = refused.json()
                assert body["type"] == "urn:awards:problem:token-revoked"
                assert "thu hồi" in body["i18n"]["vi"] and "was revoked" in body["i18n"]["en"]
                assert "lost laptop" in body["detail"]
                # Only that token: the user's other token still works.
                assert (await client.get("/api/me", headers=_bearer(other))).status_code == 200
    finally:
        second.close()


async def test_revoking_a_user_refuses_every_token_issued_before_but_not_after(
    api: httpx.AsyncClient, database_url: str, tmp_path: Path
) -> None:
    earlier = [_awards(database_url, tmp_path, "token", "issue", USER) for _ in range(2)]
    _awards(database_url, tmp_path, "token", "revoke", "--user", USER)
    for token in earlier:
        refused = await api.get("/api/me", headers=_bearer(token))
        assert refused.status_code == 401
        assert "every token issued to its user" in refused.json()["detail"]
    later = _awards(database_url, tmp_path, "token", "issue", USER)
    assert (await api.get("/api/me", headers=_bearer(later))).status_code == 200


def test_issued_tokens_last_a_working_day_unless_told(database_url: str, tmp_path: Path) -> None:
    default = read_token(_awards(database_url, tmp_path, "token", "issue", USER), SECRET.encode())
    assert default.expires_at - default.issued_at == pytest.approx(8 * 3600, abs=1)
    longer = read_token(
        _awards(database_url, tmp_path, "token", "issue", USER, "--hours", "72"), SECRET.encode()
    )
    assert longer.expires_at - longer.issued_at == pytest.approx(72 * 3600, abs=1)
    assert default.token_id != longer.token_id


def test_revoke_needs_a_token_or_a_user(database_url: str, tmp_path: Path) -> None:
    env = {"AWARDS_DATABASE_URL": database_url, "AWARDS_SECRET_KEY": SECRET}
    assert CliRunner().invoke(cli, ["token", "revoke"], env=env).exit_code == 2
    forged = CliRunner().invoke(cli, ["token", "revoke", "a.b"], env=env)
    assert forged.exit_code == 2 and "cannot revoke" in forged.output
