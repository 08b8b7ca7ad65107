"""Sealed ballots: a choice encrypted under the election key, with proofs anyone can check.

A ballot is three ciphertexts, one per option (yes, no, abstain), each holding 0 or 1 with a
proof of that, and a proof that they add up to exactly 1. Multiplying the ballots of a box
option by option gives encryptions of the totals; only those are ever decrypted, by the
trustees, so no single ballot is opened by anyone. The proofs are bound to one proposal's one
vote, so a ballot cannot be replayed into another vote.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from domain.kernel.errors import BallotError, InvalidInput
from domain.voting.ballot import Choice, Tally
from domain.voting.election_key import ElectionKey, PartialDecryption, check_partial, open_totals
from domain.voting.elgamal import (
    G_INVERSE,
    ZERO,
    BitProof,
    Ciphertext,
    G,
    P,
    Proof,
    Q,
    Rand,
    encrypt,
    equal_logs,
    is_bit,
    prove_bit,
    prove_equal_logs,
    small_log,
)

OPTIONS = (Choice.YES, Choice.NO, Choice.ABSTAIN)


def context(proposal_id: object, stage: str, key: ElectionKey) -> str:
    """What every proof in one vote is bound to."""
    return f"awards-ballot/{proposal_id}/{stage}/{key.fingerprint}"


def count_context(ballot_context: str) -> str:
    return f"{ballot_context}/count"


@dataclass(frozen=True)
class SealedBallot:
    selections: tuple[Ciphertext, ...]
    proofs: tuple[BitProof, ...]
    one: Proof  # the selections add up to exactly one

    def to_json(self) -> dict[str, Any]:
        return {
            "selections": [
                {"ciphertext": ct.to_json(), "proof": proof.to_json()}
                for ct, proof in zip(self.selections, self.proofs, strict=True)
            ],
            "one": self.one.to_json(),
        }

    @classmethod
    def from_json(cls, data: object) -> SealedBallot:
        return _parsed(_canonical(data))

    @classmethod
    def _from_json(cls, data: object) -> SealedBallot:
        if not isinstance(data, Mapping) or set(data) != {"selections", "one"}:
            raise InvalidInput("a sealed ballot is {selections, one}")
        selections = data["selections"]
        if not isinstance(selections, list) or len(selections) != len(OPTIONS):
            raise InvalidInput(
                "a sealed ballot has {count} selections: yes, no, abstain", count=len(OPTIONS)
            )
        cts, proofs = [], []
        for selection in selections:
            if not isinstance(selection, Mapping) or set(selection) != {"ciphertext", "proof"}:
                raise InvalidInput("a selection is {ciphertext, proof}")
            cts.append(Ciphertext.from_json(selection["ciphertext"]))
            proofs.append(BitProof.from_json(selection["proof"]))
        return cls(tuple(cts), tuple(proofs), Proof.from_json(data["one"]))

    @property
    def tracker(self) -> str:
        """A fingerprint of the ciphertexts: the voter sees it when casting and finds it in
        the box; it tells nothing about the choice."""
        return tracker_of(self.to_json())

    def total(self) -> Ciphertext:
        product = ZERO
        for ct in self.selections:
            product = product * ct
        return product


def tracker_of(stored: dict[str, Any]) -> str:
    """The tracker of a ballot as stored (canonical, as the workflow writes it), unparsed."""
    ciphertexts = [selection["ciphertext"] for selection in stored["selections"]]
    canonical = json.dumps(ciphertexts, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def seal(choice: Choice | str, key: ElectionKey, ballot_context: str, rand: Rand) -> SealedBallot:
    chosen = Choice(choice)
    nonces = [rand() for _ in OPTIONS]
    bits = [int(option == chosen) for option in OPTIONS]
    selections = tuple(
        encrypt(bit, key.public, nonce) for bit, nonce in zip(bits, nonces, strict=True)
    )
    proofs = tuple(
        prove_bit(ct, bit, nonce, key.public, ballot_context, rand)
        for ct, bit, nonce in zip(selections, bits, nonces, strict=True)
    )
    total = SealedBallot(selections, proofs, Proof(0, 0)).total()
    one = prove_equal_logs(
        G,
        total.alpha,
        key.public,
        total.beta * G_INVERSE % P,
        sum(nonces) % Q,
        ballot_context,
        rand,
    )
    return SealedBallot(selections, proofs, one)


def check_sealed(data: object, key: ElectionKey, ballot_context: str) -> SealedBallot:
    """Parse and check a sealed ballot; refuse anything that is not provably one choice."""
    return _checked(_canonical(data), key, ballot_context)


def _canonical(data: object) -> str:
    try:
        return json.dumps(data, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        raise InvalidInput("a sealed ballot is plain JSON") from None


# Parsing checks every number is in the group (~150 µs a ballot): a box is parsed again at
# each step of its count and in the workflow, so a parsed ballot is remembered by its text.
@lru_cache(maxsize=4096)
def _parsed(canonical: str) -> SealedBallot:
    return SealedBallot._from_json(json.loads(canonical))


# A pure function of its arguments, so remembering the ballots already proved is safe: the
# worker checks each ballot when it is cast, and the box check at closing then costs nothing.
@lru_cache(maxsize=4096)
def _checked(canonical: str, key: ElectionKey, ballot_context: str) -> SealedBallot:
    ballot = _parsed(canonical)
    for ct, proof in zip(ballot.selections, ballot.proofs, strict=True):
        if ct.alpha == 1:
            raise InvalidInput("a ballot encrypted without randomness would not be secret")
        if not is_bit(ct, key.public, proof, ballot_context):
            raise InvalidInput("a selection does not prove it holds 0 or 1 for this vote")
    total = ballot.total()
    if not equal_logs(
        G, total.alpha, key.public, total.beta * G_INVERSE % P, ballot.one, ballot_context
    ):
        raise InvalidInput("the ballot does not prove it holds exactly one choice")
    return ballot


def totals(ballots: Iterable[SealedBallot]) -> list[Ciphertext]:
    """The encrypted count of each option: the product of the box's ballots."""
    sums = [ZERO for _ in OPTIONS]
    for ballot in ballots:
        sums = [total * ct for total, ct in zip(sums, ballot.selections, strict=True)]
    return sums


def count(
    key: ElectionKey,
    encrypted: list[Ciphertext],
    parts: Iterable[PartialDecryption],
    ballots: int,
    ballot_context: str,
) -> Tally:
    """Open the totals with the trustees' checked shares and read off the numbers."""
    parts = list(parts)
    for part in parts:
        check_partial(key, encrypted, part, count_context(ballot_context))
    return read_tally(open_totals(key, encrypted, parts), ballots)


def read_tally(opened: list[int], ballots: int) -> Tally:
    """The numbers in opened totals g^yes, g^no, g^abstain of a box of `ballots` ballots."""
    yes, no, abstain = (small_log(value, ballots) for value in opened)
    if yes + no + abstain != ballots:
        raise BallotError("the opened totals do not add up to the number of ballots")
    return Tally(yes=yes, no=no, abstain=abstain)


def check_box(
    box: list[dict[str, Any]], voters: int, key: ElectionKey, ballot_context: str
) -> list[SealedBallot]:
    """A box holds exactly one sealed ballot per recorded voter, each under its own receipt
    hash, none a copy of another, and each proved to hold exactly one choice."""
    if len(box) != voters:
        raise BallotError(
            "the ballot box holds {ballots} ballots but {voters} members voted",
            ballots=len(box),
            voters=voters,
        )
    receipts = [entry.get("receipt") if isinstance(entry, Mapping) else None for entry in box]
    if not all(isinstance(r, str) and len(r) == 64 for r in receipts):
        raise BallotError("every ballot in the box needs its own receipt hash")
    if len(set(receipts)) != len(receipts):
        raise BallotError("two ballots in the box share a receipt")
    ballots = [check_sealed(entry.get("ballot"), key, ballot_context) for entry in box]
    if len({ballot.tracker for ballot in ballots}) != len(ballots):
        raise BallotError("the box holds the same sealed ballot twice")
    return ballots
