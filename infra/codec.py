"""Encrypting payload codec: what workflows carry (ballots included) is unreadable in Temporal."""

from __future__ import annotations

import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

ENCODING = b"binary/encrypted"
_KEY_ID = "encryption-key-id"


class PayloadKeyError(Exception):
    """A payload key is missing, malformed, or does not open the payload."""


def generate_key() -> bytes:
    """A fresh random AES-256 key."""
    return AESGCM.generate_key(bit_length=256)


class EncryptionCodec(PayloadCodec):
    """AES-256-GCM; encodes with the first key, decodes with whichever key a payload names,
    so histories written before a key rotation stay readable."""

    def __init__(self, keys: Sequence[tuple[str, bytes]]) -> None:
        if not keys:
            raise PayloadKeyError("at least one payload key is required")
        for key_id, key in keys:
            # AESGCM would also take 16- or 24-byte keys: refuse them rather than weaken the cipher.
            if len(key) != 32:
                raise PayloadKeyError(f"payload key {key_id!r} must be 32 bytes (AES-256)")
        self._active = keys[0][0]
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys}

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        cipher = self._ciphers[self._active]
        encoded = []
        for payload in payloads:
            nonce = os.urandom(12)
            data = nonce + cipher.encrypt(nonce, payload.SerializeToString(), None)
            encoded.append(
                Payload(metadata={"encoding": ENCODING, _KEY_ID: self._active.encode()}, data=data)
            )
        return encoded

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        decoded = []
        for payload in payloads:
            if payload.metadata.get("encoding") != ENCODING:
                decoded.append(payload)
                continue
            key_id = payload.metadata.get(_KEY_ID, b"").decode()
            cipher = self._ciphers.get(key_id)
            if cipher is None:
                raise PayloadKeyError(f"no payload key {key_id!r}; keep old keys after rotation")
            try:
                plain = cipher.decrypt(payload.data[:12], payload.data[12:], None)
            except InvalidTag:
                raise PayloadKeyError(f"payload under key {key_id!r} was altered") from None
            decoded.append(Payload.FromString(plain))
        return decoded
