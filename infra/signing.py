"""Signed seal files: an auditor keeps one and can later prove the log was not rewritten."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

FORMAT = "awards-seal/1"


class SealFileError(Exception):
    pass


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign_seal(seal: dict[str, Any], private_key: bytes) -> dict[str, Any]:
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    body = {"format": FORMAT, **seal, "public_key": base64.b64encode(public).decode()}
    return {**body, "signature": base64.b64encode(key.sign(_canonical(body))).decode()}


def read_seal(document: dict[str, Any], trusted_public_key: bytes | None = None) -> dict[str, Any]:
    """Check a seal file's signature (and, given one, that it was signed by the trusted key)."""
    body = {k: v for k, v in document.items() if k != "signature"}
    if body.get("format") != FORMAT:
        raise SealFileError("not an awards seal file")
    try:
        public = base64.b64decode(body["public_key"])
        signature = base64.b64decode(document["signature"])
        Ed25519PublicKey.from_public_bytes(public).verify(signature, _canonical(body))
    except (KeyError, ValueError, InvalidSignature) as error:
        raise SealFileError("the seal file's signature does not verify") from error
    if trusted_public_key is not None and public != trusted_public_key:
        raise SealFileError("the seal file was signed by another key")
    return body


def public_key_of(private_key: bytes) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
