"""Signed bearer tokens: who the caller is, for how long; roles are read from the directory."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time


class TokenError(Exception):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(username: str, secret: bytes, ttl_hours: int, now: float | None = None) -> str:
    issued = int(time.time() if now is None else now)
    payload = _b64(
        json.dumps(
            {"sub": username, "iat": issued, "exp": issued + ttl_hours * 3600},
            separators=(",", ":"),
        ).encode()
    )
    signature = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())
    return f"{payload}.{signature}"


def verify_token(token: str, secret: bytes, now: float | None = None) -> str:
    """Answer the username the token names, or raise TokenError saying why it is refused."""
    payload, _, signature = token.partition(".")
    if not payload or not signature:
        raise TokenError("malformed bearer token")
    expected = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature):
        raise TokenError("bearer token signature is not valid")
    try:
        claims = json.loads(_unb64(payload))
        username, expires = str(claims["sub"]), int(claims["exp"])
    except (ValueError, KeyError, TypeError) as error:
        raise TokenError("malformed bearer token") from error
    if expires < (time.time() if now is None else now):
        raise TokenError("bearer token has expired; issue a new one")
    return username
