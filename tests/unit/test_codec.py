"""The payload codec that keeps ballots unreadable in Temporal's history."""

from __future__ import annotations

import pytest
from temporalio.api.common.v1 import Payload

from infra.codec import EncryptionCodec, PayloadKeyError, generate_key
from infra.settings import parse_payload_keys

PLAIN = Payload(metadata={"encoding": b"json/plain"}, data=b'{"choice": "yes"}')


async def test_payloads_round_trip_and_hide_their_content() -> None:
    codec = EncryptionCodec([("k1", generate_key())])
    [encoded] = await codec.encode([PLAIN])
    assert b"yes" not in encoded.data and encoded.metadata["encoding"] == b"binary/encrypted"
    assert await codec.decode([encoded]) == [PLAIN]


async def test_old_histories_decode_after_a_key_rotation() -> None:
    old = ("k1", generate_key())
    [encoded] = await EncryptionCodec([old]).encode([PLAIN])
    rotated = EncryptionCodec([("k2", generate_key()), old])
    assert await rotated.decode([encoded]) == [PLAIN]
    [fresh] = await rotated.encode([PLAIN])
    assert fresh.metadata["encryption-key-id"] == b"k2"


async def test_an_unknown_key_is_named() -> None:
    [encoded] = await EncryptionCodec([("k1", generate_key())]).encode([PLAIN])
    with pytest.raises(PayloadKeyError, match="k1"):
        await EncryptionCodec([("k9", generate_key())]).decode([encoded])


async def test_an_altered_payload_is_refused() -> None:
    codec = EncryptionCodec([("k1", generate_key())])
    [encoded] = await codec.encode([PLAIN])
    tampered = Payload(metadata=encoded.metadata, data=encoded.data[:-1] + b"\x00")
    with pytest.raises(PayloadKeyError, match="altered"):
        await codec.decode([tampered])


def test_payload_keys_setting_is_parsed_and_checked() -> None:
    assert parse_payload_keys("a:" + "A" * 43 + "=")[0][0] == "a"
    with pytest.raises(ValueError, match="32 bytes"):
        parse_payload_keys("a:AAAA")
    with pytest.raises(ValueError):
        parse_payload_keys("no-colon")
