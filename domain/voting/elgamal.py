"""Exponential ElGamal over a prime-order group, and the Chaum–Pedersen proofs a checkable
secret ballot needs. Pure arithmetic: every random number comes from the caller.

A number m is encrypted under the public key K as (g^r, g^m·K^r). Multiplying ciphertexts adds
the numbers inside, so a count can be decrypted without decrypting any single ballot. Proofs
are made non-interactive by hashing (Fiat–Shamir) and are stored as (challenge, response)
pairs: anyone can check them with public numbers only.

The group: a 2048-bit prime P, a 256-bit prime Q dividing P − 1, and G = 2^((P−1)/Q), the
generator of the subgroup of order Q. P and Q are drawn from fixed labels by `derive_group`, so
anyone can rebuild them and see that nothing is hidden in their choice.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from domain.kernel.errors import BallotError, InvalidInput

try:  # GMP makes each exponentiation ~7× faster; the results are the same without it.
    from gmpy2 import mpz as _number
    from gmpy2 import powmod as _gmp_powmod

    def powmod(base: int, exponent: int, modulus: int) -> int:
        return int(_gmp_powmod(base, exponent, modulus))

except ImportError:  # pragma: no cover - gmpy2 is a declared dependency
    _number = int

    def powmod(base: int, exponent: int, modulus: int) -> int:
        return pow(base, exponent, modulus)


GROUP_LABEL = "awards VUSTA ballot group"
Q = 0xE62DA41A0EA248CA412062B234E56B66AF1DEBD2B5959A131B17D681835607C9
P = int(
    "eec84f9332f306cbb3fcdc9e8942194943fd444d6240b8c0a974fa59858c2e98f78ba695858f0763cd9a56b0"
    "fcc3cc00bce7e5a8dea4931c96bdc22cfa5a90e949134d022a26d06739dc27e30a83780661a0bc63c2715b45"
    "3019b000c8edf0c31050fb9a49f6e5051bf428164290104ea26a0a0b063f5c46d522fe358ebc3b8a85b6f8d1"
    "4d99619cc6ae9cd9db3361ccb6d1648e15c875a42a0c6dab0d819a0def8088affacf76334797e2913050582"
    "130d922b21b31a44cfae56a58e050255ba6333449aa61f07310e89301dce26115e94797bb8f35ac9f0ea128d"
    "565b5ddd49a033d7f46c23cae19db0eec99d0c009d16e445361fe1151ec52f59099b4c373",
    16,
)
G = powmod(2, (P - 1) // Q, P)
G_INVERSE = powmod(G, Q - 1, P)


# ---- fixed-base exponentiation -------------------------------------------------------------
# Most exponentiations of a ballot have one of two bases: the generator G or the election key's
# public key. For such a base a table of base^(d·256^i), one row per byte of a 256-bit exponent,
# turns an exponentiation (~300 modular squarings and multiplications) into at most 32
# multiplications. The results are the same numbers powmod gives: only the route differs.

_WINDOW_BITS = 8
_ROWS = 256 // _WINDOW_BITS  # Q < 2^256: every reduced exponent fits in the table
_TABLE_LIMIT = 8  # tables kept at once (~2.4 MB each): G and the few keys in use
_P = _number(P)


class FixedBase:
    """base^e mod P by table look-up; built once per base (~20 ms), used for every ballot."""

    def __init__(self, base: int) -> None:
        self.base = base
        # A base of order Q (G, a key) may have its exponent reduced mod Q; any other base is
        # only ever raised by the table to exponents below 2^256, so the result never differs.
        self.of_order_q = powmod(base, Q, P) == 1
        rows: list[list[int]] = []
        power = _number(base) % _P
        for _ in range(_ROWS):
            row = [_number(1), power]
            for _ in range(2, 1 << _WINDOW_BITS):
                row.append(row[-1] * power % _P)
            rows.append(row)
            power = row[-1] * power % _P  # base^(256^(i+1))
        self._rows = tuple(tuple(row) for row in rows)

    def power(self, exponent: int) -> int:
        if exponent < 0 or (exponent >> 256 and not self.of_order_q):
            return powmod(self.base, exponent, P)
        if exponent >> 256:
            exponent %= Q
        result = _number(1)
        for row, digit in zip(self._rows, exponent.to_bytes(_ROWS, "little"), strict=True):
            if digit:
                result = result * row[digit] % _P
        return int(result)


_tables: dict[int, FixedBase] = {}
_tables_lock = threading.Lock()  # activities check ballots in several threads at once


def fixed_base(base: int) -> FixedBase:
    """The table of a base that recurs (G, an election key); the oldest table goes first."""
    table = _tables.get(base)
    if table is None:
        table = FixedBase(base)
        with _tables_lock:
            while len(_tables) >= _TABLE_LIMIT:
                del _tables[next(iter(_tables))]
            _tables[base] = table
    return table


def power(base: int, exponent: int) -> int:
    """base^exponent mod P: from the base's table when it has one, else by GMP's powmod."""
    table = fixed_base(G) if base == G else _tables.get(base)
    if table is None:
        return powmod(base, exponent, P)
    return table.power(exponent)


def g_power(exponent: int) -> int:
    """G^exponent mod P, from G's table."""
    return fixed_base(G).power(exponent)


Rand = Callable[[], int]
"""A source of secret exponents, uniform in [1, Q): `lambda: secrets.randbelow(Q - 1) + 1`."""


def _draw(label: str, bits: int) -> int:
    value = int.from_bytes(hashlib.shake_256(label.encode()).digest(bits // 8), "big")
    return value | (1 << (bits - 1))


def derive_group(
    is_prime: Callable[[int], bool], next_prime: Callable[[int], int]
) -> tuple[int, int, int]:
    """Rebuild (P, Q, tries) from GROUP_LABEL: Q is the first prime after a 256-bit draw; P is
    the first 2048-bit prime k·Q + 1, k even, drawn from the label and a counter."""
    q = next_prime(_draw(f"{GROUP_LABEL}: q", 256))
    tries = 0
    while True:
        k = _draw(f"{GROUP_LABEL}: p/{tries}", 2048) // q
        p = (k - k % 2) * q + 1
        if p.bit_length() == 2048 and is_prime(p):
            return p, q, tries
        tries += 1


@lru_cache(maxsize=1 << 16)  # a box's numbers are checked again at each step of its count
def is_element(value: int) -> bool:
    """A member of the order-Q subgroup; anything else could leak or forge a proof."""
    return 0 < value < P and powmod(value, Q, P) == 1


def _encode(part: object) -> bytes:
    text = format(part, "x") if isinstance(part, int) else str(part)
    data = text.encode()
    return len(data).to_bytes(4, "big") + data


def challenge(*parts: object) -> int:
    """The Fiat–Shamir challenge: a hash of everything the prover committed to, mod Q."""
    digest = hashlib.sha256(b"".join(_encode(part) for part in parts)).digest()
    return int.from_bytes(digest, "big") % Q


@dataclass(frozen=True)
class Ciphertext:
    alpha: int
    beta: int

    def __mul__(self, other: Ciphertext) -> Ciphertext:
        return Ciphertext(self.alpha * other.alpha % P, self.beta * other.beta % P)

    def to_json(self) -> list[str]:
        return [format(self.alpha, "x"), format(self.beta, "x")]

    @classmethod
    def from_json(cls, data: object) -> Ciphertext:
        if not (isinstance(data, list) and len(data) == 2):
            raise InvalidInput("a ciphertext is a pair of hexadecimal numbers")
        alpha, beta = (parse_element(part) for part in data)
        return cls(alpha, beta)


ZERO = Ciphertext(1, 1)  # the encryption of 0 with no randomness: the sum of no ballots


def parse_element(data: object) -> int:
    value = parse_hex(data, P)
    if not is_element(value):
        raise InvalidInput("a number in a ciphertext or key is not in the ballot group")
    return value


_HEX = "0123456789abcdef"


def parse_hex(data: object, bound: int) -> int:
    # Plain lower-case hex digits only: int() would also take "0x", "_" and spaces, and one
    # number must have one spelling.
    if not isinstance(data, str) or not 0 < len(data) <= 600 or data.strip(_HEX):
        raise InvalidInput("expected a hexadecimal number")
    try:
        value = int(data, 16)
    except ValueError:
        raise InvalidInput("expected a hexadecimal number") from None
    if not 0 <= value < bound:
        raise InvalidInput("a number in the ballot is out of range")
    return value


def encrypt(message: int, key: int, nonce: int) -> Ciphertext:
    key_power = fixed_base(key).power
    return Ciphertext(g_power(nonce), g_power(message) * key_power(nonce) % P)


def _commit(base: int, response: int, value: int, challenge_: int) -> int:
    # base^response · value^(−challenge): what the prover must have committed to. The base is
    # G or the key (a table); the value is the ballot's own number (GMP).
    return power(base, response) * powmod(value, Q - challenge_, P) % P


@dataclass(frozen=True)
class Proof:
    challenge: int
    response: int

    def to_json(self) -> dict[str, str]:
        return {"c": format(self.challenge, "x"), "v": format(self.response, "x")}

    @classmethod
    def from_json(cls, data: object) -> Proof:
        if not (isinstance(data, dict) and set(data) == {"c", "v"}):
            raise InvalidInput("a proof is {c, v}")
        return cls(parse_hex(data["c"], Q), parse_hex(data["v"], Q))


def prove_equal_logs(
    g1: int, h1: int, g2: int, h2: int, secret: int, context: str, rand: Rand
) -> Proof:
    """Chaum–Pedersen: log_g1(h1) = log_g2(h2) = secret, without showing the secret."""
    w = rand()
    a, b = power(g1, w), power(g2, w)
    c = challenge(context, g1, h1, g2, h2, a, b)
    return Proof(c, (w + c * secret) % Q)


def equal_logs(g1: int, h1: int, g2: int, h2: int, proof: Proof, context: str) -> bool:
    a = _commit(g1, proof.response, h1, proof.challenge)
    b = _commit(g2, proof.response, h2, proof.challenge)
    return proof.challenge == challenge(context, g1, h1, g2, h2, a, b)


@dataclass(frozen=True)
class BitProof:
    """A disjunctive Chaum–Pedersen proof that a ciphertext holds 0 or 1, not which."""

    zero: Proof
    one: Proof

    def to_json(self) -> dict[str, str]:
        zero, one = self.zero.to_json(), self.one.to_json()
        return {"c0": zero["c"], "v0": zero["v"], "c1": one["c"], "v1": one["v"]}

    @classmethod
    def from_json(cls, data: object) -> BitProof:
        if not (isinstance(data, dict) and set(data) == {"c0", "v0", "c1", "v1"}):
            raise InvalidInput("a 0-or-1 proof is {c0, v0, c1, v1}")
        return cls(
            Proof.from_json({"c": data["c0"], "v": data["v0"]}),
            Proof.from_json({"c": data["c1"], "v": data["v1"]}),
        )


def _shifted(ct: Ciphertext, bit: int) -> int:
    return ct.beta * (G_INVERSE if bit else 1) % P  # beta / g^bit


def _bit_challenge(ct: Ciphertext, key: int, commitments: list[int], context: str) -> int:
    return challenge(context, key, ct.alpha, ct.beta, *commitments)


def prove_bit(ct: Ciphertext, bit: int, nonce: int, key: int, context: str, rand: Rand) -> BitProof:
    """The branch for the true bit is proved; the other is simulated from a chosen challenge,
    and the two challenges must add up to the hash, so only one branch can be simulated."""
    fake = 1 - bit
    fixed_base(G), fixed_base(key)  # the commitments below take both bases from their tables
    fake_c, fake_v = rand(), rand()
    w = rand()
    commitments: dict[int, tuple[int, int]] = {
        fake: (
            _commit(G, fake_v, ct.alpha, fake_c),
            _commit(key, fake_v, _shifted(ct, fake), fake_c),
        ),
        bit: (g_power(w), power(key, w)),
    }
    flat = [*commitments[0], *commitments[1]]
    real_c = (_bit_challenge(ct, key, flat, context) - fake_c) % Q
    proofs = {fake: Proof(fake_c, fake_v), bit: Proof(real_c, (w + real_c * nonce) % Q)}
    return BitProof(proofs[0], proofs[1])


def is_bit(ct: Ciphertext, key: int, proof: BitProof, context: str) -> bool:
    fixed_base(G), fixed_base(key)  # _commit takes both bases from their tables
    flat: list[int] = []
    for bit, branch in ((0, proof.zero), (1, proof.one)):
        flat.append(_commit(G, branch.response, ct.alpha, branch.challenge))
        flat.append(_commit(key, branch.response, _shifted(ct, bit), branch.challenge))
    total = (proof.zero.challenge + proof.one.challenge) % Q
    return total == _bit_challenge(ct, key, flat, context)


def small_log(value: int, limit: int) -> int:
    """m such that G^m = value, for 0 ≤ m ≤ limit (a count is never larger than the box)."""
    power = 1
    for m in range(limit + 1):
        if power == value:
            return m
        power = power * G % P
    raise BallotError("the decrypted count is not a number of ballots: a share is wrong")
