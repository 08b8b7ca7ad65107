"""Remembered parses and proofs answer what a fresh check answers: a refusal is never kept as
a pass, and a remembered ballot is the same ballot."""

from __future__ import annotations

import copy

import pytest
from sealing import KEY, SHARES, rand

from domain.kernel.errors import InvalidInput
from domain.voting.election_key import PartialDecryption, check_partial, partially_decrypt
from domain.voting.sealed_ballot import SealedBallot, context, count_context, seal, totals

CONTEXT = context("memo", "cluster", KEY)


def test_a_ballot_parsed_twice_is_the_same_ballot() -> None:
    stored = seal("yes", KEY, CONTEXT, rand).to_json()
    first = SealedBallot.from_json(stored)
    assert SealedBallot.from_json(copy.deepcopy(stored)) == first
    assert first.to_json() == stored


def test_a_malformed_ballot_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(InvalidInput):
            SealedBallot.from_json({"selections": [], "one": {}})


def test_a_share_that_failed_its_proof_fails_again_and_a_good_one_still_passes() -> None:
    encrypted = totals([seal("no", KEY, CONTEXT, rand)])
    good = partially_decrypt(SHARES[0], encrypted, count_context(CONTEXT), rand)
    forged = PartialDecryption(good.trustee, (good.factors[1], *good.factors[1:]), good.proofs)
    for _ in range(2):
        with pytest.raises(InvalidInput):
            check_partial(KEY, encrypted, forged, count_context(CONTEXT))
        check_partial(KEY, encrypted, good, count_context(CONTEXT))
