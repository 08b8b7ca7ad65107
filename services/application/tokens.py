"""Signed bearer tokens: who the caller is, which token it is, for how long; roles are read
from the directory, revocations from PostgreSQL (services/revocations.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from domain.kernel.message import Message


class TokenError(Exception):
    """Why a token is refused: ``TokenError("template {name}", name=...)``, a catalogue msgid."""

    def __init__(self, template: str, /, **params: object) -> None:
        self.message = Message(template, **params)
        super().__init__(self.message.render())


@dataclass(frozen=True)
class TokenClaims:
    username: str
    # Tokens issued before tokens carried an id are known by the hash of their payload.
    token_id: str
    issued_at: float
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(payload: str, secret: bytes) -> str:
    return _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())


def issue_token(username: str, secret: bytes, ttl_hours: float, now: float | None = None) -> str:
    issued = time.time() if now is None else now
    claims = {
        "sub": username,
        # Milliseconds: "revoke every token issued before now" must not catch one issued just
        # after, within the same second.
        "iat": round(issued, 3),
        "exp": int(issued + ttl_hours * 3600),
        "jti": secrets.token_urlsafe(12),
    }
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{payload}.{_sign(payload, secret)}"


def read_token(token: str, secret: bytes) -> TokenClaims:
    """The claims of a token signed with `secret`, expired or not; TokenError says why not."""
    payload, _, signature = token.partition(".")
    if not payload or not signature:
        raise TokenError("the bearer token is malformed")
    if not hmac.compare_digest(_sign(payload, secret), signature):
        raise TokenError("the bearer token's signature is not valid")
    try:
        claims = json.loads(_unb64(payload))
        token_id = claims.get("jti") or "sha256:" + hashlib.sha256(payload.encode()).hexdigest()
        return TokenClaims(
            username=str(claims["sub"]),
            token_id=str(token_id),
            issued_at=float(claims["iat"]),
            expires_at=int(claims["exp"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise TokenError("the bearer token is malformed") from error


def verify_token(token: str, secret: bytes, now: float | None = None) -> TokenClaims:
    """The claims of a valid, unexpired token, or TokenError saying why it is refused.
    (Whether it was revoked is asked of the revocation list.)"""
    claims = read_token(token, secret)
    if claims.expires_at < (time.time() if now is None else now):
        raise TokenError("the bearer token has expired; ask for a new one")
    return claims
