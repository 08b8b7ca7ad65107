"""Ballot receipts: a secret the voter alone holds, whose hash marks their ballot in the box."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from uuid import UUID


def issue_receipt(
    secret: bytes, username: str, proposal_id: UUID, idempotency_key: str | None
) -> str:
    """A repeated request with the same idempotency key gets the same receipt, so a retried
    ballot (which Temporal applies once) still matches the receipt its voter was given."""
    if idempotency_key is None:
        return secrets.token_urlsafe(24)
    material = f"receipt:{username}:{proposal_id}:{idempotency_key}".encode()
    return hmac.new(secret, material, hashlib.sha256).hexdigest()[:32]


def receipt_hash(receipt: str) -> str:
    return hashlib.sha256(receipt.encode()).hexdigest()
