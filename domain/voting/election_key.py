"""The key that seals ballots, split among trustees so that no one alone can open a ballot.

The secret s is the constant term of a random polynomial f of degree threshold − 1; trustee i
holds f(i) (Shamir). The public record of the key is Feldman's commitments g^(coefficients):
the first is the public key K = g^s, and trustee i's verification key g^f(i) follows from them,
so anyone can check that any `threshold` trustees together decrypt under K. A trustee never
hands over f(i): they send A^f(i) for the count's A, with a proof it was made with their f(i).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeGuard

from domain.kernel.errors import BallotError, InvalidInput
from domain.voting.elgamal import (
    Ciphertext,
    G,
    P,
    Proof,
    Q,
    Rand,
    equal_logs,
    g_power,
    parse_element,
    parse_hex,
    powmod,
    prove_equal_logs,
)

MAX_TRUSTEES = 50


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not 1


@dataclass(frozen=True)
class ElectionKey:
    threshold: int
    trustees: int
    commitments: tuple[int, ...]

    def __post_init__(self) -> None:
        if not 1 <= self.threshold <= self.trustees <= MAX_TRUSTEES:
            raise InvalidInput(
                "a key needs 1 ≤ threshold ≤ trustees ≤ {most}, got {threshold} of {trustees}",
                most=MAX_TRUSTEES,
                threshold=self.threshold,
                trustees=self.trustees,
            )
        if len(self.commitments) != self.threshold or self.commitments[0] == 1:
            raise InvalidInput("a key has one commitment per coefficient, and K ≠ 1")

    @property
    def public(self) -> int:
        return self.commitments[0]

    def verification_key(self, trustee: int) -> int:
        if not 1 <= trustee <= self.trustees:
            raise InvalidInput(
                "trustee {trustee} is not one of 1…{trustees}",
                trustee=trustee,
                trustees=self.trustees,
            )
        return _verification_key(self.commitments, trustee)

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": "exponential-elgamal/threshold",
            "threshold": self.threshold,
            "trustees": self.trustees,
            "commitments": [format(c, "x") for c in self.commitments],
        }

    @property
    def fingerprint(self) -> str:
        canonical = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @classmethod
    def from_json(cls, data: object) -> ElectionKey:
        if not isinstance(data, Mapping):
            raise InvalidInput("an election key is a JSON object")
        if data.get("scheme") != "exponential-elgamal/threshold":
            raise InvalidInput("not an election key of this service")
        threshold, trustees = data.get("threshold"), data.get("trustees")
        commitments = data.get("commitments")
        if not (_whole(threshold) and _whole(trustees)):
            raise InvalidInput("an election key needs whole numbers threshold and trustees")
        if not isinstance(commitments, list):
            raise InvalidInput("an election key needs its list of commitments")
        return cls(threshold, trustees, tuple(parse_element(c) for c in commitments))


@dataclass(frozen=True)
class KeyShare:
    """One trustee's secret: kept by that trustee, never sent anywhere."""

    trustee: int
    secret: int
    key: str  # the fingerprint of the election key it belongs to

    def to_json(self) -> dict[str, Any]:
        return {"trustee": self.trustee, "secret": format(self.secret, "x"), "key": self.key}

    @classmethod
    def from_json(cls, data: object) -> KeyShare:
        if not isinstance(data, Mapping) or not _whole(data.get("trustee")):
            raise InvalidInput("a key share is {trustee, secret, key}")
        return cls(int(data["trustee"]), parse_hex(data.get("secret"), Q), str(data.get("key")))


@lru_cache(maxsize=256)  # checked again with every share a trustee sends
def _verification_key(commitments: tuple[int, ...], trustee: int) -> int:
    value = 1
    for power, commitment in enumerate(commitments):
        value = value * powmod(commitment, pow(trustee, power, Q), P) % P
    return value


def deal(trustees: int, threshold: int, rand: Rand) -> tuple[ElectionKey, list[KeyShare]]:
    """The key ceremony: draw the polynomial, publish its commitments, hand out f(1)…f(n).
    Whoever runs it sees s once; run it offline with the trustees present."""
    coefficients = [rand() for _ in range(threshold)]
    key = ElectionKey(threshold, trustees, tuple(g_power(a) for a in coefficients))
    shares = []
    for trustee in range(1, trustees + 1):
        secret = sum(a * pow(trustee, power, Q) for power, a in enumerate(coefficients)) % Q
        shares.append(KeyShare(trustee, secret, key.fingerprint))
    return key, shares


def check_share_matches(key: ElectionKey, share: KeyShare) -> None:
    if share.key != key.fingerprint:
        raise InvalidInput("this key share belongs to another election key")
    if g_power(share.secret) != key.verification_key(share.trustee):
        raise InvalidInput(
            "this is not trustee {trustee}'s share of the key", trustee=share.trustee
        )


@dataclass(frozen=True)
class PartialDecryption:
    """Trustee i's contribution to opening a list of ciphertexts: alpha^f(i), each proved."""

    trustee: int
    factors: tuple[int, ...]
    proofs: tuple[Proof, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "trustee": self.trustee,
            "factors": [format(f, "x") for f in self.factors],
            "proofs": [p.to_json() for p in self.proofs],
        }

    @classmethod
    def from_json(cls, data: object) -> PartialDecryption:
        if not isinstance(data, Mapping) or set(data) != {"trustee", "factors", "proofs"}:
            raise InvalidInput("a decryption share is {trustee, factors, proofs}")
        trustee, factors, proofs = data["trustee"], data["factors"], data["proofs"]
        if not _whole(trustee) or not isinstance(factors, list):
            raise InvalidInput("a decryption share needs a trustee number and its factors")
        if not isinstance(proofs, list) or len(proofs) != len(factors):
            raise InvalidInput("a decryption share needs one proof per factor")
        return cls(
            trustee,
            tuple(parse_element(f) for f in factors),
            tuple(Proof.from_json(p) for p in proofs),
        )


def partially_decrypt(
    share: KeyShare, totals: Iterable[Ciphertext], context: str, rand: Rand
) -> PartialDecryption:
    verification = g_power(share.secret)
    factors, proofs = [], []
    for ct in totals:
        factor = powmod(ct.alpha, share.secret, P)
        factors.append(factor)
        proofs.append(
            prove_equal_logs(G, verification, ct.alpha, factor, share.secret, context, rand)
        )
    return PartialDecryption(share.trustee, tuple(factors), tuple(proofs))


def check_partial(
    key: ElectionKey, totals: list[Ciphertext], part: PartialDecryption, context: str
) -> None:
    _check_partial(key, tuple(totals), part, context)


# A pure function of its arguments, so remembering the shares already proved is safe: a share
# is checked when it is given and again by the count in the same step (and the audit later).
@lru_cache(maxsize=1024)
def _check_partial(
    key: ElectionKey, totals: tuple[Ciphertext, ...], part: PartialDecryption, context: str
) -> None:
    verification = key.verification_key(part.trustee)
    if len(part.factors) != len(totals):
        raise InvalidInput(
            "the share has {factors} factors for {totals} totals",
            factors=len(part.factors),
            totals=len(totals),
        )
    for ct, factor, proof in zip(totals, part.factors, part.proofs, strict=True):
        if not equal_logs(G, verification, ct.alpha, factor, proof, context):
            raise InvalidInput(
                "trustee {trustee}'s decryption share does not prove itself: refused",
                trustee=part.trustee,
            )


def _lagrange(trustee: int, others: Iterable[int]) -> int:
    numerator, denominator = 1, 1
    for other in others:
        if other != trustee:
            numerator = numerator * other % Q
            denominator = denominator * (other - trustee) % Q
    return numerator * pow(denominator, -1, Q) % Q


def open_totals(
    key: ElectionKey, totals: list[Ciphertext], parts: Iterable[PartialDecryption]
) -> list[int]:
    """g^m for each total, from `threshold` checked shares (Lagrange at zero)."""
    distinct = {part.trustee: part for part in parts}  # a trustee counts once, however sent
    chosen = [distinct[trustee] for trustee in sorted(distinct)][: key.threshold]
    if len(chosen) < key.threshold:
        raise BallotError("the count needs {threshold} trustees' shares", threshold=key.threshold)
    indices = [part.trustee for part in chosen]
    opened = []
    for n, ct in enumerate(totals):
        mask = 1
        for part in chosen:
            mask = mask * powmod(part.factors[n], _lagrange(part.trustee, indices), P) % P
        opened.append(ct.beta * pow(mask, -1, P) % P)
    return opened
