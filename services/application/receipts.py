"""Ballot receipts: a secret the voter alone holds, whose hash marks their ballot in the box."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from uuid import UUID

# A receipt is "<nonce>.<seal>": the seal is an HMAC over the voter, the vote (a proposal id,
# or a list vote's id) and the nonce, so the server tells its voter from anyone else holding
# it without storing anything.
# Receipts issued before the seal existed have no dot; whoever holds one may check it.
_SEPARATOR = "."


def issue_receipt(
    secret: bytes, username: str, proposal_id: UUID | str, idempotency_key: str | None
) -> str:
    """A repeated request with the same idempotency key gets the same receipt, so a retried
    ballot (which Temporal applies once) still matches the receipt its voter was given."""
    if idempotency_key is None:
        nonce = secrets.token_hex(12)
    else:
        material = f"receipt-nonce:{username}:{proposal_id}:{idempotency_key}"
        nonce = _mac(secret, material)[:24]
    return f"{nonce}{_SEPARATOR}{_seal(secret, username, proposal_id, nonce)}"


def issued_to(secret: bytes, receipt: str, username: str, proposal_id: UUID | str) -> bool:
    """Whether ``username`` may check this receipt: the voter it was issued to, or anyone
    holding a receipt from before receipts named their voter."""
    nonce, separator, seal = receipt.partition(_SEPARATOR)
    if not separator:
        return True
    return hmac.compare_digest(seal, _seal(secret, username, proposal_id, nonce))


def receipt_hash(receipt: str) -> str:
    return hashlib.sha256(receipt.encode()).hexdigest()


def _seal(secret: bytes, username: str, proposal_id: UUID | str, nonce: str) -> str:
    return _mac(secret, f"receipt:{username}:{proposal_id}:{nonce}")[:32]


def _mac(secret: bytes, material: str) -> str:
    return hmac.new(secret, material.encode(), hashlib.sha256).hexdigest()
