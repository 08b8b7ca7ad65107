"""The revocation list of bearer tokens, in PostgreSQL: single tokens by id, and per user every
token issued before a moment. Every API process asks it on every request (two primary-key
lookups), so a revocation takes effect on the very next request to any process."""

from __future__ import annotations

from dataclasses import dataclass

from domain.kernel.message import Message
from infra.postgres import Pool
from services.application.tokens import TokenClaims

SCHEMA = """
CREATE TABLE IF NOT EXISTS awards_revoked_tokens (
    token_id text PRIMARY KEY,
    username text NOT NULL,
    expires_at bigint NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now(),
    revoked_by text NOT NULL,
    reason text NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS awards_token_cutoffs (
    username text PRIMARY KEY,
    not_before double precision NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now(),
    revoked_by text NOT NULL,
    reason text NOT NULL DEFAULT ''
);
"""


@dataclass(frozen=True)
class Revoked:
    """Why a token is refused: it was revoked itself, or with every token of its user."""

    whole_user: bool
    reason: str

    @property
    def message(self) -> Message:
        if self.whole_user and self.reason:
            return Message(
                "this bearer token was revoked with every token issued to its user before then"
                " ({reason}); ask for a new one",
                reason=self.reason,
            )
        if self.whole_user:
            return Message(
                "this bearer token was revoked with every token issued to its user before then;"
                " ask for a new one"
            )
        if self.reason:
            return Message(
                "this bearer token was revoked ({reason}); ask for a new one", reason=self.reason
            )
        return Message("this bearer token was revoked; ask for a new one")


class Revocations:
    def __init__(self, pool: Pool) -> None:
        self._pool = pool

    def ensure_schema(self) -> None:
        with self._pool.connection() as conn:
            conn.execute(SCHEMA)

    def revoke_token(self, claims: TokenClaims, revoked_by: str, reason: str = "") -> None:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(
                "INSERT INTO awards_revoked_tokens"
                " (token_id, username, expires_at, revoked_by, reason)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (token_id) DO NOTHING",
                (claims.token_id, claims.username, claims.expires_at, revoked_by, reason),
            )
            # An expired token is refused anyway: the list only needs the live ones.
            conn.execute(
                "DELETE FROM awards_revoked_tokens"
                " WHERE expires_at < extract(epoch FROM now()) - 3600"
            )

    def revoke_user(self, username: str, revoked_by: str, reason: str = "") -> float:
        """Revoke every token issued to `username` until now (the database's clock); answers
        that moment as seconds since the epoch."""
        with self._pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO awards_token_cutoffs (username, not_before, revoked_by, reason)"
                " VALUES (%s, extract(epoch FROM clock_timestamp()), %s, %s)"
                " ON CONFLICT (username) DO UPDATE SET not_before = excluded.not_before,"
                " revoked_at = now(), revoked_by = excluded.revoked_by, reason = excluded.reason"
                " RETURNING not_before",
                (username, revoked_by, reason),
            ).fetchone()
        assert row is not None
        return float(row["not_before"])

    def refusal(self, claims: TokenClaims) -> Revoked | None:
        """Why this token is revoked, or None when it is not."""
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT (SELECT reason FROM awards_revoked_tokens WHERE token_id = %s) AS token,"
                " (SELECT reason FROM awards_token_cutoffs"
                "   WHERE username = %s AND not_before > %s) AS cutoff",
                (claims.token_id, claims.username, claims.issued_at),
            ).fetchone()
        assert row is not None
        if row["token"] is not None:
            return Revoked(whole_user=False, reason=row["token"])
        if row["cutoff"] is not None:
            return Revoked(whole_user=True, reason=row["cutoff"])
        return None
